use super::*;

/// A contract-shaped module: `imports` (WAT import lines), the memory
/// imported as the pallet wants it unless `memory` says otherwise, and `body`
/// as the `call` export's code.
fn module(imports: &str, memory: &str, body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
            {imports}
            {memory}
            (func (export "call") {body})
            (func (export "deploy")))"#
    ))
    .expect("the test module is valid WAT")
}

const MEMORY: &str = r#"(import "env" "memory" (memory 2 16))"#;
const SEAL2_CALL: &str = r#"(import "seal2" "call" (func (param i32 i32 i64 i64 i32 i32 i32 i32 i32 i32) (result i32)))"#;
const SEAL1_CALL: &str =
    r#"(import "seal1" "call" (func (param i32 i32 i64 i32 i32 i32 i32 i32) (result i32)))"#;

fn chain(name: &str) -> ChainTable {
    known_chains()
        .into_iter()
        .find(|table| table.name == name)
        .expect("a listed chain")
}

fn problems_on(table: &ChainTable, runtime: &Runtime, wasm: Vec<u8>) -> Vec<Problem> {
    let verdict = check(runtime, Some(table), false, &[("broker", wasm)]);
    verdict.refused.into_iter().next().expect("one contract").1
}

fn problems(chain_name: &str, wasm: Vec<u8>) -> Vec<Problem> {
    let table = chain(chain_name);
    problems_on(&table, &table.runtime(), wasm)
}

#[test]
fn every_listed_chain_is_found_by_the_spec_name_its_runtime_declares() {
    for (spec_name, chain_name) in [
        ("aleph-node", "aleph-zero"),
        ("pendulum", "pendulum"),
        ("amplitude", "amplitude"),
        ("substrate-contracts-node", "substrate-contracts-node"),
        ("astar", "astar"),
        ("shiden", "shiden"),
    ] {
        assert_eq!(
            table_for(spec_name).map(|t| t.name),
            Some(chain_name.to_string())
        );
    }
    assert!(table_for("kusama").is_none());
}

#[test]
fn aleph_zero_refuses_an_unstable_host_function_that_pendulum_links() {
    let wasm = module(SEAL2_CALL, MEMORY, "");
    assert_eq!(
        problems("aleph-zero", wasm.clone()),
        vec![Problem::Unstable {
            module: "seal2".into(),
            name: "call".into()
        }]
    );
    assert_eq!(problems("pendulum", wasm.clone()), vec![]);
    assert_eq!(problems("substrate-contracts-node", wasm), vec![]);
    assert_eq!(
        problems("aleph-zero", module(SEAL1_CALL, MEMORY, "")),
        vec![]
    );
}

#[test]
fn the_live_runtime_decides_whether_unstable_functions_are_on() {
    let table = chain("aleph-zero");
    let upgraded = Runtime {
        unstable_interface: true,
        spec_version: 16_000_000,
        ..table.runtime()
    };
    let verdict = check(
        &upgraded,
        Some(&table),
        false,
        &[("broker", module(SEAL2_CALL, MEMORY, ""))],
    );
    assert!(verdict.accepted());
    assert_eq!(verdict.notes.len(), 2, "{:?}", verdict.notes);
}

#[test]
fn a_closed_chain_refuses_every_contract() {
    let wasm = module(SEAL1_CALL, MEMORY, "");
    let table = chain("astar");
    let verdict = check(
        &table.runtime(),
        Some(&table),
        false,
        &[("broker", wasm.clone()), ("community", wasm)],
    );
    assert_eq!(verdict.refused.len(), 2);
    for (_, problems) in &verdict.refused {
        assert!(matches!(problems.as_slice(), [Problem::Closed(_)]));
    }
    assert!(verdict.sentences()[0].starts_with("broker: the chain takes no new contract code"));
}

#[test]
fn an_unlisted_runtime_is_refused_unless_accepted_and_then_only_its_limits_are_checked() {
    let runtime = Runtime {
        spec_name: "some-parachain".into(),
        spec_version: 1,
        genesis: [1; 32],
        unstable_interface: false,
        max_code_len: 64 * 1024,
        memory_pages: None,
    };
    let stable = module(SEAL1_CALL, MEMORY, "");
    let refused = check(&runtime, None, false, &[("broker", stable.clone())]);
    assert_eq!(
        refused.refused[0].1,
        vec![Problem::Unlisted {
            spec_name: "some-parachain".into()
        }]
    );
    assert!(check(&runtime, None, true, &[("broker", stable)]).accepted());
    let unknown_import = module(r#"(import "seal9" "teleport" (func))"#, MEMORY, "");
    let accepted = check(&runtime, None, true, &[("broker", unknown_import.clone())]);
    assert!(accepted.accepted());
    assert!(accepted.notes[0].contains("its host functions were not"));
    let too_long = Runtime {
        max_code_len: 50,
        ..runtime
    };
    assert!(!check(&too_long, None, true, &[("broker", unknown_import)]).accepted());
}

#[test]
fn code_longer_than_the_live_max_code_len_is_refused() {
    let table = chain("pendulum");
    let small_chain = Runtime {
        max_code_len: 50,
        ..table.runtime()
    };
    let wasm = module(SEAL1_CALL, MEMORY, "");
    let bytes = wasm.len();
    assert!(bytes > 50);
    assert_eq!(
        problems_on(&table, &small_chain, wasm),
        vec![Problem::TooLong { bytes, max: 50 }]
    );
}

#[test]
fn wasm_features_the_engine_denies_are_refused() {
    let bulk_memory = module(
        "",
        MEMORY,
        "(memory.copy (i32.const 0) (i32.const 8) (i32.const 8))",
    );
    let found = problems("aleph-zero", bulk_memory);
    assert!(
        matches!(found.as_slice(), [Problem::Invalid(_)]),
        "{found:?}"
    );
    let float = module("", MEMORY, "(drop (f32.const 1.5))");
    assert!(matches!(
        problems("pendulum", float).as_slice(),
        [Problem::Invalid(_)]
    ));
    let sign_extension = module("", MEMORY, "(drop (i32.extend8_s (i32.const 1)))");
    assert_eq!(problems("aleph-zero", sign_extension), vec![]);
}

#[test]
fn unknown_imports_wrong_signatures_and_deprecated_functions_are_refused() {
    let unknown = module(r#"(import "seal9" "teleport" (func))"#, MEMORY, "");
    assert_eq!(
        problems("substrate-contracts-node", unknown),
        vec![Problem::NotLinked {
            module: "seal9".into(),
            name: "teleport".into()
        }]
    );
    let wrong = module(
        r#"(import "seal0" "caller" (func (param i32)))"#,
        MEMORY,
        "",
    );
    assert!(matches!(
        problems("aleph-zero", wrong).as_slice(),
        [Problem::WrongSignature { .. }]
    ));
    let table = chain("aleph-zero");
    let deprecated = table
        .host_functions
        .iter()
        .flatten()
        .find(|function| function.deprecated && !function.unstable)
        .expect("the v1.6 pallet has deprecated functions");
    let params = deprecated.params.join(" ");
    let results = deprecated.results.join(" ");
    let import = format!(
        r#"(import "{}" "{}" (func (param {params}) (result {results})))"#,
        deprecated.module, deprecated.name
    )
    .replace("(param )", "")
    .replace("(result )", "");
    assert!(matches!(
        problems("aleph-zero", module(&import, MEMORY, "")).as_slice(),
        [Problem::Deprecated { .. }]
    ));
}

#[test]
fn memory_must_be_env_memory_with_a_maximum_within_the_limit() {
    let unbounded = module("", r#"(import "env" "memory" (memory 2))"#, "");
    let too_large = module("", r#"(import "env" "memory" (memory 2 17))"#, "");
    let misnamed = module("", r#"(import "host" "mem" (memory 2 16))"#, "");
    let own = module("", "(memory 2 16)", "");
    for wasm in [unbounded, too_large, misnamed, own] {
        let found = problems("aleph-zero", wasm);
        assert!(
            matches!(found.as_slice(), [Problem::Memory(_)]),
            "{found:?}"
        );
    }
}

#[test]
fn refusals_read_as_sentences_that_say_what_to_do() {
    let verdict = check(
        &chain("aleph-zero").runtime(),
        Some(&chain("aleph-zero")),
        false,
        &[("community", module(SEAL2_CALL, MEMORY, ""))],
    );
    assert_eq!(
        verdict.sentences(),
        vec![
            "community: it imports seal2::call, an unstable host function, and the chain has \
             unstable functions off (UnsafeUnstableInterface is false): build the stable \
             profile (scripts/build.sh leaves it in target-stable/ink)"
                .to_string()
        ]
    );
}
