//! Whether a chain will accept our contract code, decided before anything is
//! paid. An upload the chain refuses (`Contracts::CodeRejected`, say for a
//! host function it does not link) still costs its fee, so `deploy` first
//! identifies the runtime (`spec_name`, the contracts pallet's constants in
//! its metadata), finds that chain's table (`chains/*.json`, generated from
//! its own sources by `scripts/chain_tables.py`) and checks each Wasm the way
//! the pallet's upload does: wasmi with the chain's Wasm features, every
//! import linked against the chain's host functions, the memory and the code
//! length within its limits.
use serde::Deserialize;
use std::fmt;

/// The chain tables this client knows, as generated in `chains/`.
const TABLES: [&str; 6] = [
    include_str!("../../chains/aleph-zero.json"),
    include_str!("../../chains/amplitude.json"),
    include_str!("../../chains/astar.json"),
    include_str!("../../chains/pendulum.json"),
    include_str!("../../chains/shiden.json"),
    include_str!("../../chains/substrate-contracts-node.json"),
];

/// What a live node says about its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    pub spec_name: String,
    pub spec_version: u32,
    pub genesis: [u8; 32],
    /// `Contracts::UnsafeUnstableInterface`: whether `#[unstable]` host
    /// functions are linked.
    pub unstable_interface: bool,
    /// `Contracts::MaxCodeLen`, in bytes.
    pub max_code_len: u32,
    /// `Contracts::Schedule.limits.memory_pages`, where the metadata has it.
    pub memory_pages: Option<u32>,
}

/// One chain's table (the fields the check reads; `chains/README.md` says
/// what each means).
#[derive(Debug, Clone, Deserialize)]
pub struct ChainTable {
    pub name: String,
    pub title: String,
    pub closed: Option<String>,
    pub runtime_version: RuntimeVersion,
    pub unsafe_unstable_interface: bool,
    pub limits: Limits,
    pub engine: Option<Engine>,
    pub host_functions: Option<Vec<HostFunction>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RuntimeVersion {
    pub spec_name: String,
    pub spec_version: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Limits {
    pub max_code_len: u32,
    pub memory_pages: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Engine {
    pub wasmi: String,
    pub features: std::collections::BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HostFunction {
    pub module: String,
    pub name: String,
    pub params: Vec<String>,
    pub results: Vec<String>,
    pub unstable: bool,
    pub deprecated: bool,
}

impl ChainTable {
    /// The runtime a node of this chain reports, as its table describes it
    /// (the genesis is not in the table: zero), to check code offline.
    pub fn runtime(&self) -> Runtime {
        Runtime {
            spec_name: self.runtime_version.spec_name.clone(),
            spec_version: self.runtime_version.spec_version,
            genesis: [0; 32],
            unstable_interface: self.unsafe_unstable_interface,
            max_code_len: self.limits.max_code_len,
            memory_pages: self.limits.memory_pages,
        }
    }
}

/// Every chain table compiled into this client.
pub fn known_chains() -> Vec<ChainTable> {
    TABLES
        .iter()
        .map(|text| serde_json::from_str(text).expect("chains/*.json parse as chain tables"))
        .collect()
}

/// The table of the chain whose runtime calls itself `spec_name`.
pub fn table_for(spec_name: &str) -> Option<ChainTable> {
    known_chains()
        .into_iter()
        .find(|table| table.runtime_version.spec_name == spec_name)
}

/// Why a chain would refuse a piece of code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The chain takes no new code at all.
    Closed(String),
    /// The runtime is not one of `chains/*.json`, so its host functions are
    /// unknown.
    Unlisted {
        spec_name: String,
    },
    /// The code is not Wasm the chain's engine accepts (a denied feature,
    /// such as bulk memory).
    Invalid(String),
    TooLong {
        bytes: usize,
        max: u32,
    },
    /// An import the chain does not link at all.
    NotLinked {
        module: String,
        name: String,
    },
    /// An `#[unstable]` host function on a chain that has them off.
    Unstable {
        module: String,
        name: String,
    },
    /// A deprecated host function: never linked in new code.
    Deprecated {
        module: String,
        name: String,
    },
    WrongSignature {
        module: String,
        name: String,
    },
    /// Memory not imported as `env::memory` with a maximum within the limit.
    Memory(String),
    /// An import of something other than a function or the memory.
    OtherImport {
        module: String,
        name: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Closed(why) => write!(f, "the chain takes no new contract code: {why}"),
            Self::Unlisted { spec_name } => write!(
                f,
                "the runtime {spec_name:?} is not one of the chains in chains/*.json, so which \
                 host functions it links is unknown"
            ),
            Self::Invalid(why) => write!(f, "the chain's Wasm engine refuses it: {why}"),
            Self::TooLong { bytes, max } => {
                write!(
                    f,
                    "it is {bytes} bytes and the chain takes at most {max} (MaxCodeLen)"
                )
            }
            Self::NotLinked { module, name } => {
                write!(
                    f,
                    "it imports {module}::{name}, which the chain does not have"
                )
            }
            Self::Unstable { module, name } => write!(
                f,
                "it imports {module}::{name}, an unstable host function, and the chain has \
                 unstable functions off (UnsafeUnstableInterface is false): build the stable \
                 profile (scripts/build.sh leaves it in target-stable/ink)"
            ),
            Self::Deprecated { module, name } => write!(
                f,
                "it imports {module}::{name}, which the chain deprecated for new code"
            ),
            Self::WrongSignature { module, name } => write!(
                f,
                "it imports {module}::{name} with another signature than the chain's"
            ),
            Self::Memory(why) => write!(f, "{why}"),
            Self::OtherImport { module, name } => write!(
                f,
                "it imports {module}::{name}, which is neither a function nor the memory"
            ),
        }
    }
}

/// What the check concluded for one chain: the problems of each piece of
/// code (empty when the chain accepts it all) and notes worth saying.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub refused: Vec<(String, Vec<Problem>)>,
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        self.refused.iter().all(|(_, problems)| problems.is_empty())
    }

    /// One sentence per refused contract and problem.
    pub fn sentences(&self) -> Vec<String> {
        self.refused
            .iter()
            .flat_map(|(contract, problems)| {
                problems
                    .iter()
                    .map(move |problem| format!("{contract}: {problem}"))
            })
            .collect()
    }
}

impl Runtime {
    /// The runtime as a person recognises it: name, version and genesis.
    pub fn describe(&self) -> String {
        format!(
            "{} (spec version {}, genesis {})",
            self.spec_name,
            self.spec_version,
            crate::domain::hex_bytes(&self.genesis)
        )
    }
}

/// The check as a deployment needs it: the notes worth saying when the chain
/// accepts every piece of `code`, or one text naming the chain and every
/// problem when it would refuse any, so nothing is uploaded.
pub fn verdict_for(
    runtime: &Runtime,
    unlisted_ok: bool,
    code: &[(&str, Vec<u8>)],
) -> Result<Vec<String>, String> {
    let table = table_for(&runtime.spec_name);
    let verdict = check(runtime, table.as_ref(), unlisted_ok, code);
    if verdict.accepted() {
        return Ok(verdict.notes);
    }
    let chain = table.map_or_else(
        || runtime.describe(),
        |table| format!("{}, runtime {}", table.title, runtime.describe()),
    );
    Err(format!(
        "{chain} would refuse this code, so nothing was uploaded: {}",
        verdict.sentences().join("; ")
    ))
}

/// How the chain's contracts pallet would treat `code` (`contract` names it
/// in the verdict), given what the node said about itself (`runtime`) and
/// that chain's table, if it is listed. `unlisted_ok` accepts a runtime
/// without a table, checking only what its metadata tells.
pub fn check(
    runtime: &Runtime,
    table: Option<&ChainTable>,
    unlisted_ok: bool,
    code: &[(&str, Vec<u8>)],
) -> Verdict {
    let mut verdict = Verdict::default();
    let chain_problem = match table {
        Some(table) => table.closed.clone().map(Problem::Closed),
        None if unlisted_ok => None,
        None => Some(Problem::Unlisted {
            spec_name: runtime.spec_name.clone(),
        }),
    };
    if let Some(table) = table {
        if table.runtime_version.spec_version != runtime.spec_version {
            verdict.notes.push(format!(
                "{}'s table was made from spec version {}; the chain runs {}, checked against \
                 the older table and the live metadata",
                table.title, table.runtime_version.spec_version, runtime.spec_version
            ));
        }
        if table.unsafe_unstable_interface != runtime.unstable_interface {
            verdict.notes.push(format!(
                "{}'s table says unstable host functions are {}, the live runtime says {}: the \
                 live runtime decides",
                table.title,
                on_off(table.unsafe_unstable_interface),
                on_off(runtime.unstable_interface)
            ));
        }
    } else if unlisted_ok {
        verdict.notes.push(format!(
            "{:?} has no table in chains/: its Wasm features, memory and code length were \
             checked, its host functions were not",
            runtime.spec_name
        ));
    }
    for (contract, wasm) in code {
        let problems = match &chain_problem {
            Some(problem) => vec![problem.clone()],
            None => code_problems(runtime, table, wasm),
        };
        verdict.refused.push((contract.to_string(), problems));
    }
    verdict
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// The problems the pallet's upload check would find with one Wasm.
fn code_problems(runtime: &Runtime, table: Option<&ChainTable>, wasm: &[u8]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if wasm.len() > runtime.max_code_len as usize {
        problems.push(Problem::TooLong {
            bytes: wasm.len(),
            max: runtime.max_code_len,
        });
    }
    let engine = wasmi::Engine::new(&engine_config(table.and_then(|t| t.engine.as_ref())));
    let module = match wasmi::Module::new(&engine, wasm) {
        Ok(module) => module,
        Err(error) => {
            problems.push(Problem::Invalid(error.to_string()));
            return problems;
        }
    };
    let memory_pages = runtime
        .memory_pages
        .or_else(|| table.and_then(|t| t.limits.memory_pages));
    let mut memory_imported = false;
    for import in module.imports() {
        let (module_name, name) = (import.module().to_string(), import.name().to_string());
        match import.ty() {
            wasmi::ExternType::Func(signature) => problems.extend(function_problem(
                runtime,
                table,
                module_name,
                name,
                signature,
            )),
            wasmi::ExternType::Memory(memory) => {
                memory_imported = true;
                problems.extend(memory_problem(&module_name, &name, memory, memory_pages));
            }
            _ => problems.push(Problem::OtherImport {
                module: module_name,
                name,
            }),
        }
    }
    if !memory_imported {
        problems.push(Problem::Memory(
            "it does not import its memory as env::memory, as the pallet requires".into(),
        ));
    }
    problems
}

/// The Wasm features the chain's engine allows; with no table, those every
/// listed live chain shares (only sign extension).
fn engine_config(engine: Option<&Engine>) -> wasmi::Config {
    let allowed = |feature: &str| {
        engine
            .and_then(|engine| engine.features.get(feature).copied())
            .unwrap_or(feature == "sign_extension")
    };
    let mut config = wasmi::Config::default();
    config
        .wasm_multi_value(allowed("multi_value"))
        .wasm_mutable_global(allowed("mutable_global"))
        .wasm_sign_extension(allowed("sign_extension"))
        .wasm_saturating_float_to_int(allowed("saturating_float_to_int"))
        .wasm_bulk_memory(allowed("bulk_memory"))
        .wasm_reference_types(allowed("reference_types"))
        .wasm_tail_call(allowed("tail_call"))
        .wasm_extended_const(allowed("extended_const"))
        .floats(allowed("floats"));
    config
}

fn function_problem(
    runtime: &Runtime,
    table: Option<&ChainTable>,
    module: String,
    name: String,
    signature: &wasmi::FuncType,
) -> Option<Problem> {
    // Unlisted: which functions it has, and which are unstable there, depends
    // on its pallet version (`seal2::call` is unstable in v1.6 and stable
    // later), so nothing is assumed.
    let table = table?;
    let Some(function) = table
        .host_functions
        .iter()
        .flatten()
        .find(|function| function.module == module && function.name == name)
    else {
        return Some(Problem::NotLinked { module, name });
    };
    let types = |types: &[wasmi::core::ValueType]| -> Vec<String> {
        types.iter().map(|t| value_type(*t).to_string()).collect()
    };
    if function.unstable && !runtime.unstable_interface {
        Some(Problem::Unstable { module, name })
    } else if function.deprecated {
        Some(Problem::Deprecated { module, name })
    } else if function.params != types(signature.params())
        || function.results != types(signature.results())
    {
        Some(Problem::WrongSignature { module, name })
    } else {
        None
    }
}

fn value_type(value_type: wasmi::core::ValueType) -> &'static str {
    use wasmi::core::ValueType::*;
    match value_type {
        I32 => "i32",
        I64 => "i64",
        F32 => "f32",
        F64 => "f64",
        FuncRef => "funcref",
        ExternRef => "externref",
    }
}

fn memory_problem(
    module: &str,
    name: &str,
    memory: &wasmi::MemoryType,
    memory_pages: Option<u32>,
) -> Option<Problem> {
    if (module, name) != ("env", "memory") {
        return Some(Problem::Memory(format!(
            "it imports its memory as {module}::{name}, not env::memory"
        )));
    }
    let maximum = memory.maximum_pages().map(u32::from);
    match (maximum, memory_pages) {
        (None, _) => Some(Problem::Memory(
            "its memory has no maximum size, which the pallet requires".into(),
        )),
        (Some(pages), Some(limit)) if pages > limit => Some(Problem::Memory(format!(
            "its memory may grow to {pages} pages and the chain allows {limit}"
        ))),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
