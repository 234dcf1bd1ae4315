#!/usr/bin/env python3
"""Checks contract bundles against target chains before an upload: links each
Wasm's imports against the chain's host functions, checks its exports, code
length and memory against the chain's limits, and validates it with wabt's
wasm-validate with the Wasm features the chain's engine refuses turned off
(tables in chains/*.json, from scripts/chain_tables.py).

    python3 scripts/chain_compat.py [--chains DIR] [--expect-reject CHAIN:BUNDLE]... BUNDLE...

A BUNDLE is a .wasm file or a .contract file (JSON whose source.wasm holds the
code in hex). Prints one row per bundle with OK, REJECTED or CLOSED (the
chain takes no new code at all; not counted as a failure) per chain, then
one sentence per problem. Exits 1 when a bundle is rejected by a chain, unless
--expect-reject names that pair, or when an expected rejection does not happen.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

VALUE_TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
               0x70: "funcref", 0x6F: "externref"}
KINDS = {0: "func", 1: "table", 2: "memory", 3: "global"}  # of imports and exports
# Feature (as wasmi's WasmFeatures names it): the wasm-validate flag (wabt 1.0.32)
# that makes wabt agree when the engine denies it, and when the engine allows it.
WABT_FLAGS = {
    "multi_value": ("--disable-multi-value", None),
    "mutable_global": ("--disable-mutable-globals", None),
    "sign_extension": ("--disable-sign-extension", None),
    "saturating_float_to_int": ("--disable-saturating-float-to-int", None),
    "bulk_memory": ("--disable-bulk-memory", None),
    "reference_types": ("--disable-reference-types", None),
    "simd": ("--disable-simd", None),
    "tail_call": (None, "--enable-tail-call"),
    "extended_const": (None, "--enable-extended-const"),
    "threads": (None, "--enable-threads"),
    "multi_memory": (None, "--enable-multi-memory"),
    "memory64": (None, "--enable-memory64"),
    "exceptions": (None, "--enable-exceptions"),
    "relaxed_simd": (None, "--enable-relaxed-simd"),
}
NOT_IN_WABT = {"floats", "component_model", "memory_control"}  # floats: see float_problems
FLOAT = re.compile(r"\bf(?:32|64)\b|\bf(?:32|64)[._]|_f(?:32|64)\b")
CHAIN_EXTENSION = {"call_chain_extension", "seal_call_chain_extension"}

# ---------------------------------------------------------------- Wasm parsing


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def byte(self):
        self.at += 1
        return self.data[self.at - 1]

    def uleb(self):
        value = shift = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    def name(self):
        length = self.uleb()
        self.at += length
        return self.data[self.at - length:self.at].decode("utf-8")

    def limits(self):
        flags = self.byte()
        minimum = self.uleb()
        return {"min": minimum, "max": self.uleb() if flags & 1 else None}

    def vector(self, item):
        return [item() for _ in range(self.uleb())]

    def value_type(self):
        return VALUE_TYPES.get(self.byte(), "unknown")


def sections(data):
    """(id, body) of each section of a Wasm module."""
    if data[:4] != b"\0asm" or data[4:8] != b"\1\0\0\0":
        raise ValueError("not a Wasm module (version 1)")
    reader = Reader(data)
    reader.at = 8
    while reader.at < len(data):
        kind = reader.byte()
        size = reader.uleb()
        yield kind, data[reader.at:reader.at + size]
        reader.at += size


def function_type(r):
    if r.byte() != 0x60:
        raise ValueError("a type section entry is not a function type")
    return r.vector(r.value_type), r.vector(r.value_type)


def import_entry(r):
    entry = {"module": r.name(), "name": r.name(), "kind": KINDS[r.byte()]}
    if entry["kind"] == "func":
        entry["type"] = r.uleb()
    elif entry["kind"] == "table":
        entry["element"] = r.value_type()
        entry["limits"] = r.limits()
    elif entry["kind"] == "memory":
        entry["limits"] = r.limits()
    else:
        entry["type"] = r.value_type()
        entry["mutable"] = bool(r.byte())
    return entry


def export_entry(r):
    return {"name": r.name(), "kind": KINDS[r.byte()], "index": r.uleb()}


def parse(data):
    """The parts of a module the checks need: types, imports, functions' types,
    memories and exports."""
    module = {"size": len(data), "types": [], "imports": [], "functions": [],
              "memories": [], "exports": []}
    readers = {1: ("types", function_type), 2: ("imports", import_entry),
               3: ("functions", Reader.uleb), 5: ("memories", Reader.limits),
               7: ("exports", export_entry)}
    for kind, body in sections(data):
        if kind in readers:
            field, item = readers[kind]
            r = Reader(body)
            module[field] = r.vector(lambda: item(r))
    return module


def signature(module, type_index):
    params, results = module["types"][type_index]
    return f"({', '.join(params)}) -> ({', '.join(results)})"

# ---------------------------------------------------------------- linking


def function_problem(entry, module, chain, defined):
    """Why a function import does not link on `chain`, or None."""
    label = f"{entry['module']}::{entry['name']}"
    host = defined.get((entry["module"], entry["name"]))
    if host is None:
        return f"imports {label}, which the chain does not define."
    wanted = signature(module, entry["type"])
    offered = f"({', '.join(host['params'])}) -> ({', '.join(host['results'])})"
    if wanted != offered:
        return f"imports {label} as {wanted}, but the chain defines it as {offered}."
    if host["unstable"] and not chain["unsafe_unstable_interface"]:
        return (f"imports {label}, which the chain marks #[unstable], and its "
                "UnsafeUnstableInterface is false: the import is not linked.")
    if host["deprecated"]:
        return f"imports {label}, which is #[deprecated]: new code cannot link it."
    if entry["name"] in CHAIN_EXTENSION and not chain["chain_extension"]:
        return f"imports {label}, but the chain has no chain extension."
    return None


def memory_problems(memories, limit):
    """The pallet's rules for the one imported memory, env::memory."""
    if len(memories) != 1:
        return [f"imports {len(memories)} memories; the pallet wants exactly one, env::memory."]
    entry = memories[0]
    problems = []
    if (entry["module"], entry["name"]) != ("env", "memory"):
        problems.append(f"imports its memory as {entry['module']}::{entry['name']}, "
                        "not env::memory.")
    pages = entry["limits"]["max"] if entry["limits"]["max"] is not None else limit
    if entry["limits"]["min"] > pages:
        problems.append(f"asks for {entry['limits']['min']} initial memory pages, "
                        f"more than its maximum {pages}.")
    if pages > limit:
        problems.append(f"asks for up to {pages} memory pages; the chain allows {limit}.")
    return problems


def export_problems(module):
    """Only `call` and `deploy`, both functions of type () -> () or () -> (i32)."""
    imported = [i["type"] for i in module["imports"] if i["kind"] == "func"]
    problems, names = [], set()
    for export in module["exports"]:
        if export["kind"] != "func":
            problems.append(f"exports a {export['kind']} ({export['name']}); none is allowed.")
            continue
        if export["name"] not in ("call", "deploy"):
            problems.append(f"exports function {export['name']}; only call and deploy are allowed.")
            continue
        names.add(export["name"])
        index = export["index"]
        type_index = (imported + module["functions"])[index]
        if signature(module, type_index) not in ("() -> ()", "() -> (i32)"):
            problems.append(f"exports {export['name']} as {signature(module, type_index)}.")
    problems += [f"does not export {name}." for name in ("call", "deploy") if name not in names]
    return problems


def link(module, chain):
    """Every reason `chain`'s pallet-contracts refuses the module's imports,
    exports, size or memory (the Wasm feature check is separate)."""
    limits, problems = chain["limits"], []
    if module["size"] > limits["max_code_len"]:
        problems.append(f"is {module['size']} bytes; the chain's MaxCodeLen is "
                        f"{limits['max_code_len']}.")
    defined = {(f["module"], f["name"]): f for f in chain["host_functions"]}
    for entry in module["imports"]:
        if entry["kind"] == "func":
            problem = function_problem(entry, module, chain, defined)
            problems += [problem] if problem else []
        elif entry["kind"] != "memory":
            problems.append(f"imports a {entry['kind']} ({entry['module']}::{entry['name']}); "
                            "only functions and the memory may be imported.")
    memories = [i for i in module["imports"] if i["kind"] == "memory"]
    if module["memories"]:
        problems.append("defines its own memory; the pallet wants it imported.")
    return problems + memory_problems(memories, limits["memory_pages"]) + export_problems(module)

# ---------------------------------------------------------------- Wasm features


def wabt_flags(features):
    flags = []
    for feature, allowed in sorted(features.items()):
        if feature in NOT_IN_WABT:
            continue
        if feature not in WABT_FLAGS:
            raise ValueError(f"no wasm-validate flag known for feature {feature}")
        flag = WABT_FLAGS[feature][1 if allowed else 0]
        flags += [flag] if flag else []
    return flags


def feature_problems(path, engine):
    """wasm-validate with the engine's denied features off, then the float check."""
    flags = wabt_flags(engine["features"])
    done = subprocess.run(["wasm-validate", *flags, path], capture_output=True, text=True)
    problems = []
    if done.returncode:
        first = (done.stderr.strip().splitlines() or ["(no message)"])[0]
        problems.append(f"fails wasm-validate {' '.join(flags)} (the engine's features): {first}")
    if not engine["features"].get("floats", True):
        problems += float_problems(path)
    return problems


def float_problems(path):
    """Float types or instructions anywhere in the code, globals or signatures
    (wasmi refuses them all when floats are off)."""
    done = subprocess.run(["wasm-objdump", "-d", "-x", path], capture_output=True, text=True)
    if done.returncode:
        return [f"could not be disassembled: {done.stderr.strip()}"]
    hits = [line for line in done.stdout.splitlines()
            if (" | " in line or line.lstrip().startswith(("- global[", "- type[")))
            and FLOAT.search(re.sub(r"<[^>]*>", "", line.split(" | ")[-1]))]
    if not hits:
        return []
    return [f"uses floating point ({len(hits)} places, first: {hits[0].strip()}); "
            "the chain runs only deterministic code, without floats."]

# ---------------------------------------------------------------- driver


def load_bundle(path):
    """The Wasm bytes of a .wasm or .contract file."""
    if path.endswith(".contract"):
        with open(path) as f:
            code = json.load(f)["source"]["wasm"]
        return bytes.fromhex(code[2:] if code.startswith("0x") else code)
    with open(path, "rb") as f:
        return f.read()


def check(path, data, chain):
    """("OK" | "REJECTED" | "CLOSED", problems) of one bundle on one chain."""
    if chain.get("closed"):
        return "CLOSED", [chain["closed"]]
    try:
        problems = link(parse(data), chain)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as err:
        problems = [f"cannot be parsed as a contract module: {err!r}"]
    problems += feature_problems(path, chain["engine"])
    return ("REJECTED" if problems else "OK"), problems


def check_all(bundles, chains):
    """{(bundle label, chain name): (status, problems)} for every pair."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in bundles:
            data = load_bundle(path)
            wasm = os.path.join(tmp, "bundle.wasm")
            with open(wasm, "wb") as f:
                f.write(data)
            for chain in chains:
                results[os.path.basename(path), chain["name"]] = check(wasm, data, chain)
    return results


def report(results, labels, chains):
    width = max(len(label) for label in labels) + 2
    columns = [max(len(c["name"]), 8) + 2 for c in chains]
    print("bundle".ljust(width) + "".join(c["name"].ljust(w) for c, w in zip(chains, columns)))
    for label in labels:
        row = [results[label, c["name"]][0] for c in chains]
        print(label.ljust(width) + "".join(s.ljust(w) for s, w in zip(row, columns)))
    for (label, chain), (status, problems) in results.items():
        if status == "REJECTED":
            print(f"\n{label} on {chain}: REJECTED")
            for problem in problems:
                print(f"  - {label} {problem}")
    for chain in chains:
        if chain.get("closed"):
            print(f"\n{chain['name']}: CLOSED: {chain['closed']}")


def unexpected(results, expected):
    """Pairs that failed without being expected to, and expected ones that passed."""
    def named(label, chain, pair):
        bundle = pair.split(":", 1)[1]
        return pair.split(":", 1)[0] == chain and bundle in (label, os.path.splitext(label)[0])
    failures = []
    for (label, chain), (status, _) in results.items():
        is_expected = any(named(label, chain, pair) for pair in expected)
        if status == "REJECTED" and not is_expected:
            failures.append(f"{label} is rejected by {chain}")
        if status != "REJECTED" and is_expected:
            failures.append(f"{label} was expected to be rejected by {chain}, but is {status}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="+", metavar="BUNDLE")
    parser.add_argument("--chains", default=os.path.relpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "chains")))
    parser.add_argument("--expect-reject", action="append", default=[], metavar="CHAIN:BUNDLE")
    args = parser.parse_args()
    missing = [tool for tool in ("wasm-validate", "wasm-objdump") if not shutil.which(tool)]
    if missing:
        sys.exit(f"chain_compat: {', '.join(missing)} not found: install wabt "
                 "(apt-get install -y wabt); the Wasm feature check needs it")
    chains = []
    for path in sorted(glob.glob(os.path.join(args.chains, "*.json"))):
        with open(path) as f:
            chains.append(json.load(f))
    results = check_all(args.bundles, chains)
    report(results, [os.path.basename(p) for p in args.bundles], chains)
    failures = unexpected(results, args.expect_reject)
    for failure in failures:
        print(f"chain_compat: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
