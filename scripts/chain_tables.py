#!/usr/bin/env python3
"""Writes chains/<chain>.json for every chain in CHAINS: the host functions its
pallet-contracts links into a contract's Wasm, which Wasm features its engine
accepts at upload, and its contracts configuration and limits, all read from
the chain's own sources (see chains/README.md).

    python3 scripts/chain_tables.py [--mirror DIR] [--registry DIR] [--out DIR]
        [--source OWNER/NAME=PATH]... [--fallback OWNER/NAME=REF]... [CHAIN...]

A repository is read from the bare git dir MIRROR/<owner>+<name>/repo (what the
`fetch` tool gives) at the ref CHAINS names, or from PATH (a git dir, read at
that ref, or a plain folder) with --source. A chain's pallet-contracts is the
one its runtime's Cargo.lock pins: a commit of a polkadot-sdk fork, read from
its git dir (--fallback names the ref to read when the pinned commit is not in
it, and the JSON says so), or a crates.io version, read from the cargo registry
(its .crate checked against the lock's checksum).
"""
import argparse
import ast
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
from decimal import Decimal

ASTAR_CLOSED = ("Wasm contract uploads frozen (AstarNetwork/Astar#1642, commit adb11c235, "
                "2026-06-03): UploadOrigin and InstantiateOrigin are EnsureNever and the "
                "runtime's BaseFilter refuses every Contracts call")
CHAINS = {
    "aleph-zero": {
        "title": "Aleph Zero mainnet and testnet",
        "repo": "aleph-zero-foundation/aleph-node", "ref": "r-15.2.0",
        "files": ["bin/runtime/src/lib.rs", "primitives/src/lib.rs"],
        "token": ("AZERO", "TOKEN"),
        "same_as": ["r-14.2.0"],
        "notes": ["Mainnet and testnet run releases of this one runtime crate; it has no "
                  "network-specific contracts settings (its only cfg features are "
                  "short_session, enable_treasury_proposals, try-runtime and "
                  "runtime-benchmarks). Which release each network runs now cannot be "
                  "read from the sources; same_as compares the other current release line."],
    },
    "pendulum": {
        "title": "Pendulum", "repo": "pendulum-chain/pendulum", "ref": "pendulum-release-24",
        "files": ["runtime/pendulum/src/lib.rs", "runtime/common/src/lib.rs"],
        "token": ("PEN", "UNIT"),
    },
    "amplitude": {
        "title": "Amplitude", "repo": "pendulum-chain/pendulum", "ref": "amplitude-release-24",
        "files": ["runtime/amplitude/src/lib.rs", "runtime/common/src/lib.rs"],
        "token": ("AMPE", "UNIT"),
    },
    "substrate-contracts-node": {
        "title": "substrate-contracts-node 0.42.0 (local test node)",
        "repo": "use-ink/substrate-contracts-node", "ref": "0.42.0",
        "files": ["runtime/src/contracts_config.rs"], "version_file": "runtime/src/lib.rs",
        "token": ("UNIT", "UNIT"),
    },
    "astar": {
        "title": "Astar", "repo": "AstarNetwork/Astar", "ref": "runtime-2301",
        "files": ["runtime/astar/src/lib.rs"], "token": ("ASTR", "ASTR"), "closed": ASTAR_CLOSED,
    },
    "shiden": {
        "title": "Shiden", "repo": "AstarNetwork/Astar", "ref": "runtime-2301",
        "files": ["runtime/shiden/src/lib.rs"], "token": ("SDN", "SDN"), "closed": ASTAR_CLOSED,
    },
}
PALLET_DIR = "substrate/frame/contracts/"  # inside a polkadot-sdk git tree
WASMI_REPO = "wasmi-labs/wasmi"
# How the define_env macro (pallet-contracts-proc-macro) turns a host function's
# Rust signature into its Wasm one: u32/u64 arguments through wasmi's Func::wrap,
# the Ok type of `Result<_, TrapReason>` through HostFnReturn::to_wasm_sig.
WASM_PARAM = {"u32": "i32", "i32": "i32", "u64": "i64", "i64": "i64"}
WASM_RESULT = {"()": [], "u32": ["i32"], "ReturnErrorCode": ["i32"], "u64": ["i64"]}
FN_ATTRIBUTES = {"version", "unstable", "prefixed_alias", "deprecated", "mutating", "cfg"}

# ---------------------------------------------------------------- sources


class Tree:
    """One repository at one ref (git dir) or a folder; remembers what it read."""

    def __init__(self, repo, path, ref=None):
        self.repo, self.path, self.ref, self.read_paths = repo, path, ref, []
        self.is_git = os.path.isfile(os.path.join(path, "HEAD")) and ref is not None
        self.commit = self.git("rev-parse", f"{ref}^{{commit}}").strip() if self.is_git else None

    def git(self, *args):
        done = subprocess.run(["git", "--git-dir", self.path, *args], capture_output=True, text=True)
        if done.returncode:
            raise LookupError(f"{self.repo}: git {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def read(self, path):
        self.read_paths.append(path)
        if self.is_git:
            return self.git("show", f"{self.commit}:{path}")
        with open(os.path.join(self.path, path)) as f:
            return f.read()

    def has_commit(self, rev):
        return subprocess.run(["git", "--git-dir", self.path, "cat-file", "-e", f"{rev}^{{commit}}"],
                              capture_output=True).returncode == 0

    def provenance(self):
        folder = self.path.replace(os.path.expanduser("~"), "~", 1)
        where = {"ref": self.ref, "commit": self.commit} if self.is_git else {"folder": folder}
        return {"repository": self.repo, **where, "paths": sorted(set(self.read_paths))}


class Sources:
    def __init__(self, args):
        self.mirror, self.registry = args.mirror, args.registry
        self.paths = dict(item.split("=", 1) for item in args.source)
        self.fallback = dict(item.split("=", 1) for item in args.fallback)

    def tree(self, repo, ref):
        path = self.paths.get(repo, os.path.join(self.mirror, repo.replace("/", "+"), "repo"))
        if not os.path.isdir(path):
            raise LookupError(f"{repo}: no source at {path} (fetch it, or pass --source)")
        return Tree(repo, path, ref)

# ---------------------------------------------------------------- Rust tokens


TOKEN = re.compile(r"""
    (?P<skip>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<raw>r\#*")
  | (?P<str>b?"(?:\\.|[^"\\])*")
  | (?P<char>b?'(?:\\[^']+|[^'\\])')
  | (?P<life>'[A-Za-z_]\w*)
  | (?P<word>[A-Za-z_]\w*|\d\w*)
  | (?P<punct>::|->|=>|\.\.|.)
""", re.S | re.X)


def tokens(text):
    """Rust source as tokens, comments dropped, each string literal one token."""
    out, at = [], 0
    while at < len(text):
        m = TOKEN.match(text, at)
        if m.lastgroup == "raw":
            fence = '"' + m.group()[1:-1]
            end = text.index(fence, m.end()) + len(fence)
            out.append(text[at:end])
            at = end
            continue
        if m.lastgroup != "skip":
            out.append(m.group())
        at = m.end()
    return out


def close(toks, i):
    """The index of the bracket closing the one at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        depth += toks[j] in "([{"
        depth -= toks[j] in ")]}"
        if depth == 0:
            return j
    raise ValueError("unbalanced brackets")


def split_top(toks, sep=","):
    """toks split at `sep` outside brackets, empty parts dropped."""
    parts, depth, current = [], 0, []
    for tok in toks:
        depth += tok in "([{"
        depth -= tok in ")]}"
        if tok == sep and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(tok)
    return [p for p in parts + [current] if p]


def find(toks, pattern, start=0):
    """The index where the token list `pattern` starts, or -1."""
    for i in range(start, len(toks) - len(pattern) + 1):
        if toks[i:i + len(pattern)] == pattern:
            return i
    return -1


def rust_text(toks):
    """Tokens joined back into readable Rust."""
    text = re.sub(r"\s*(::|[(\[<.!])\s*", r"\1", " ".join(toks))
    return re.sub(r"\s*([)\]>,;])", r"\1", text)


def fn_literal(toks, fn, name):
    """The index of the `{` of the `name { ... }` literal in the body of `fn fn`."""
    body = toks.index("{", find(toks, ["fn", fn]))
    return find(toks, [name, "{"], body + 1) + 1


def cfg_enabled(attr):
    """Whether `#[cfg(...)]` holds in an on-chain runtime build: no cargo feature on."""
    def holds(toks):
        if toks[0] == "not":
            return not holds(toks[2:close(toks, 1)])
        if toks[0] == "feature":
            return False
        raise ValueError(f"cfg not understood: {' '.join(toks)}")
    return holds(attr[2:close(attr, 1)])


def attributes_before(toks, i):
    """The `#[...]` attributes (inner tokens) right before toks[i], skipping `pub`."""
    k, attrs = i - 1, []
    while k >= 0 and toks[k] == "pub":
        k -= 1
    while k > 0 and toks[k] == "]":
        depth, j = 0, k
        while True:
            depth += toks[j] == "]"
            depth -= toks[j] == "["
            if depth == 0:
                break
            j -= 1
        if toks[j - 1] != "#":
            break
        attrs.append(toks[j + 1:k])
        k = j - 2
    return attrs

# ---------------------------------------------------------------- constants


class Consts:
    """`const NAME: T = EXPR;` and `const fn` definitions, evaluated on demand."""

    def __init__(self, texts):
        self.exprs, self.fns = {}, {}
        for text in texts:
            self.collect(tokens(text))

    def collect(self, toks):
        for i, tok in enumerate(toks[:-3]):
            if tok != "const" or not all(cfg_enabled(a) for a in attributes_before(toks, i)
                                         if a[0] == "cfg"):
                continue
            if toks[i + 1] == "fn":
                args = close(toks, i + 3)
                body = toks.index("{", args)
                params = [p[0] for p in split_top(toks[i + 4:args])]
                self.define(self.fns, toks[i + 2], (params, toks[body + 1:close(toks, body)]))
            elif toks[i + 2] == ":":
                eq = toks.index("=", i)
                self.define(self.exprs, toks[i + 1], split_top(toks[eq + 1:], ";")[0])

    @staticmethod
    def define(table, name, value):
        if value not in table.setdefault(name, []):
            table[name].append(value)

    @staticmethod
    def one(table, name):
        """The one definition of `name`; a name defined differently twice is an error."""
        if len(table[name]) != 1:
            raise ValueError(f"{name} has {len(table[name])} different definitions")
        return table[name][0]

    def value(self, toks, local=None):
        """The value of a constant expression, or None if it is not arithmetic."""
        try:
            return self.eval(ast.parse(python_expr(toks), mode="eval").body, local or {})
        except (SyntaxError, LookupError, TypeError, ValueError):
            return None

    def eval(self, node, local):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, bool)):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in local:
                return local[node.id]
            return self.eval(ast.parse(python_expr(self.one(self.exprs, node.id)), mode="eval").body, {})
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return OPS[type(node.op)](self.eval(node.left, local), self.eval(node.right, local))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            params, body = self.one(self.fns, node.func.id)
            args = [self.eval(a, local) for a in node.args]
            return self.eval(ast.parse(python_expr(body), mode="eval").body, dict(zip(params, args)))
        raise ValueError("not a constant expression")


OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
       ast.FloorDiv: lambda a, b: a // b, ast.Pow: lambda a, b: a ** b}
INT = re.compile(r"(\d[\d_]*)(?:[ui](?:8|16|32|64|128|size))?")


def python_expr(toks):
    """A Rust constant expression as Python text: paths and `as` casts dropped,
    `x.pow(y)` as `x**(y)`, `/` as `//`, `{ }` as `( )`."""
    out, i = [], 0
    while i < len(toks):
        tok = toks[i]
        if i + 1 < len(toks) and toks[i + 1] == "::":
            i += 2
            continue
        if tok == "as":
            i += 2
            continue
        if tok == "." and toks[i + 1:i + 3] == ["pow", "("]:
            out.append("**(")
            i += 3
            continue
        match = INT.fullmatch(tok)
        out.append(match.group(1).replace("_", "") if match else
                   {"/": "//", "{": "(", "}": ")", "true": "True", "false": "False"}.get(tok, tok))
        i += 1
    return " ".join(out)

# ---------------------------------------------------------------- runtime config


def config_block(text):
    """`type NAME = T;` items of `impl pallet_contracts::Config for Runtime`, as tokens."""
    toks = tokens(text)
    start = find(toks, ["impl", "pallet_contracts", "::", "Config", "for", "Runtime", "{"])
    if start < 0:
        return None
    body = toks[start + 7:close(toks, start + 6)]
    items = {}
    for item in split_top(body, ";"):
        while item[0] == "#":
            attr_end = close(item, 1)
            if item[2] == "cfg" and not cfg_enabled(item[2:attr_end]):
                item = None
                break
            item = item[attr_end + 1:]
        if item:
            items[item[1]] = item[3:]
    return items


def config_value(toks, consts):
    """The value a `type X = ...;` item gives: ConstU32<{..}>, [Frame; N], or a constant."""
    if toks[0].startswith("Const") and toks[1] == "<":
        return consts.value(toks[2:-1])
    if toks[0] == "[" and ";" in toks:
        return consts.value(toks[toks.index(";") + 1:-1])
    if len(toks) == 1:
        return consts.value(toks)
    return None


def token_amount(plancks, unit, symbol):
    if plancks is None:
        return None
    decimals = len(str(unit)) - 1
    tokens_ = (Decimal(plancks) / Decimal(unit)).normalize()
    return {"plancks": plancks, "tokens": f"{tokens_:f} {symbol}", "decimals": decimals}


def limits_fields(toks, start):
    """`name: expr` fields of the struct literal whose `{` is at toks[start]."""
    fields = {}
    for part in split_top(toks[start + 1:close(toks, start)]):
        if part[0] != ".." and part[1] == ":":
            fields[part[0]] = part[2:]
    return fields


def runtime_config(spec, texts):
    """The chain's pallet_contracts::Config items, evaluated where numeric."""
    consts = Consts(texts)
    blocks = [b for b in map(config_block, texts) if b is not None]
    if len(blocks) != 1:
        raise ValueError(f"{len(blocks)} `impl pallet_contracts::Config` blocks found")
    items = blocks[0]
    raw = {name: rust_text(toks) for name, toks in items.items()}
    symbol, unit_name = spec["token"]
    unit = consts.value([unit_name])
    value = {name: config_value(toks, consts) for name, toks in items.items()}
    overrides = {}
    for text in texts:
        toks = tokens(text)
        at = find(toks, ["Limits", "{"])
        if at >= 0:
            overrides = {k: consts.value(v) for k, v in limits_fields(toks, at + 1).items()}
    return {
        "config": raw,
        "unsafe_unstable_interface": value["UnsafeUnstableInterface"],
        "chain_extension": raw["ChainExtension"] != "()",
        "closed_origins": [n for n in ("UploadOrigin", "InstantiateOrigin")
                           if "EnsureNever" in raw.get(n, "")],
        "limits": {
            "max_code_len": value["MaxCodeLen"], "call_stack": value["CallStack"],
            "max_storage_key_len": value["MaxStorageKeyLen"],
            "max_debug_buffer_len": value["MaxDebugBufferLen"],
            "max_delegate_dependencies": value.get("MaxDelegateDependencies"),
            "deposit_per_byte": token_amount(value["DepositPerByte"], unit, symbol),
            "deposit_per_item": token_amount(value["DepositPerItem"], unit, symbol),
        },
        "schedule_limit_overrides": overrides,
    }

# ---------------------------------------------------------------- pallet sources


def host_functions(text):
    """Every function of runtime.rs's `#[define_env] pub mod env`, as Wasm imports."""
    toks = tokens(text)
    start = find(toks, ["mod", "env", "{"], find(toks, ["#", "[", "define_env"])) + 2
    end = close(toks, start)
    i, attrs, functions, excluded = start + 1, [], [], []
    while i < end:
        if toks[i] == "#":
            attr_end = close(toks, i + 1)
            attrs.append(toks[i + 2:attr_end])
            i = attr_end + 1
        elif toks[i] == "fn":
            entries, i = host_function(toks, i, attrs)
            enabled = all(cfg_enabled(a) for a in attrs if a[0] == "cfg")
            (functions if enabled else excluded).extend(entries)
            attrs = []
        else:
            raise ValueError(f"unexpected {toks[i]!r} in the env module")
    functions.sort(key=lambda e: (e["module"], e["name"]))
    return functions, sorted({f"{e['module']}::{e['name']}" for e in excluded})


def host_function(toks, i, attrs):
    """The imports one host fn definition gives (two with #[prefixed_alias])."""
    names = {a[0] for a in attrs}
    if not names <= FN_ATTRIBUTES:
        raise ValueError(f"unknown attributes {names - FN_ATTRIBUTES} on fn {toks[i + 1]}")
    version = next((int(a[2]) for a in attrs if a[0] == "version"), 0)
    params_end = close(toks, i + 2)
    params = split_top(toks[i + 3:params_end])
    if [p[0] for p in params[:2]] not in (["ctx", "memory"], ["ctx", "_memory"],
                                          ["_ctx", "memory"], ["_ctx", "_memory"]):
        raise ValueError(f"fn {toks[i + 1]} does not start with ctx and memory")
    body = toks.index("{", params_end)
    ret = toks[params_end + 2:body]
    if ret[:2] != ["Result", "<"] or ret[-2:] != ["TrapReason", ">"]:
        raise ValueError(f"fn {toks[i + 1]} returns {' '.join(ret)}")
    entry = {
        "module": f"seal{version}", "name": toks[i + 1],
        "params": [WASM_PARAM["".join(p[2:])] for p in params[2:]],
        "results": WASM_RESULT["".join(ret[2:-3])],
        "unstable": "unstable" in names, "deprecated": "deprecated" in names,
        "mutating": "mutating" in names,
    }
    entries = [entry]
    if "prefixed_alias" in names:
        entries.append({**entry, "name": "seal_" + entry["name"]})
    return entries, close(toks, body) + 1


def default_limits(text):
    """`impl Default for Limits` of schedule.rs, evaluated."""
    consts = Consts([])
    toks = tokens(text)
    start = find(toks, ["impl", "Default", "for", "Limits", "{"])
    body = fn_literal(toks[start:], "default", "Self")
    return {k: consts.value(v) for k, v in limits_fields(toks[start:], body).items()}


def upload_engine_config(text):
    """The `.method(args)` calls on `WasmiConfig::default()` in prepare.rs."""
    toks = tokens(text)
    at = find(toks, ["WasmiConfig", "::", "default", "(", ")", ";"]) + 6
    end = toks.index(";", at)
    calls, i = {}, at
    while i < end:
        if toks[i] == "." and toks[i + 2] == "(":
            args_end = close(toks, i + 2)
            calls[toks[i + 1]] = rust_text(toks[i + 3:args_end])
            i = args_end
        i += 1
    return calls


def wasmi_features(text):
    """wasmi's Config: which WasmFeatures it can turn on (`self.x`) and its defaults."""
    toks = tokens(text)
    feats = limits_fields(toks, fn_literal(toks, "wasm_features", "WasmFeatures"))
    impl = toks[find(toks, ["impl", "Default", "for", "Config", "{"]):]
    defaults = limits_fields(impl, fn_literal(impl, "default", "Self"))
    return {k: rust_text(v) for k, v in feats.items()}, {k: rust_text(v) for k, v in defaults.items()}


def engine(calls, wasmi_text, version):
    """The Wasm features the upload check's engine accepts."""
    feats, defaults = wasmi_features(wasmi_text)
    allowed = {}
    for feature, source in feats.items():
        if source in ("true", "false"):
            allowed[feature] = source == "true"
            continue
        field = source.split(".")[-1].strip()
        setting = calls.get("wasm_" + field, calls.get(field, defaults.get(field)))
        allowed[feature] = setting == "true"
    notes = []
    if "Relaxed" in calls.get("floats", ""):
        notes.append(f"floats({calls['floats']}): float instructions and types are accepted "
                     "only in code uploaded as Determinism::Relaxed, which runs off-chain only; "
                     "counted here as denied")
    return {"wasmi": version, "features": allowed,
            "allowed": sorted(f for f, on in allowed.items() if on),
            "denied": sorted(f for f, on in allowed.items() if not on),
            "upload_config_calls": calls, "notes": notes}

# ---------------------------------------------------------------- pallet location


def lock_package(lock, name):
    found = [p for p in lock["package"] if p["name"] == name]
    if len(found) != 1:
        raise ValueError(f"Cargo.lock has {len(found)} packages named {name}")
    return found[0]


def wasmi_version(lock, pallet):
    dep = next(d for d in pallet["dependencies"] if d.split()[0] == "wasmi")
    return dep.split()[1] if " " in dep else lock_package(lock, "wasmi")["version"]


def pallet_tree(sources, pallet, notes):
    """The pallet-contracts source the lock pins: (tree, path prefix, provenance extras)."""
    pin = pallet["source"]
    if pin.startswith("registry+"):
        return registry_tree(sources, pallet)
    url, commit = pin[len("git+"):].split("#")
    repo = re.sub(r"\.git$", "", url.split("?")[0].split("github.com/")[1])
    tree = sources.tree(repo, None)
    if not tree.has_commit(commit):
        ref = sources.fallback.get(repo)
        if ref is None:
            raise LookupError(f"{repo}: pinned commit {commit} is not in {tree.path}; "
                              f"pass --fallback {repo}=REF to read another")
        notes.append(f"Cargo.lock pins {repo} at {commit}, which the snapshot lacks; "
                     f"the pallet was read at {ref} instead")
        commit = ref
    return Tree(repo, tree.path, commit), PALLET_DIR, {"pinned": pin}


def registry_tree(sources, pallet):
    name = f"{pallet['name']}-{pallet['version']}"
    folders = glob.glob(os.path.join(os.path.expanduser(sources.registry), name))
    if len(folders) != 1:
        raise LookupError(f"{name} not in the cargo registry {sources.registry}")
    index_dir = os.path.dirname(folders[0])
    crate = os.path.join(os.path.dirname(os.path.dirname(index_dir)), "cache",
                         os.path.basename(index_dir), name + ".crate")
    verified = (os.path.isfile(crate) and
                hashlib.sha256(open(crate, "rb").read()).hexdigest() == pallet["checksum"])
    extra = {"pinned": f"{pallet['source']} {pallet['version']}", "checksum": pallet["checksum"],
             "checksum_verified_against_registry_cache": verified}
    return Tree(f"crates.io:{name}", folders[0]), "", extra


def pallet_tables(sources, lock, notes):
    """Host functions, schedule limits and engine of the pallet the lock pins."""
    pallet = lock_package(lock, "pallet-contracts")
    tree, prefix, extra = pallet_tree(sources, pallet, notes)
    functions, excluded = host_functions(tree.read(prefix + "src/wasm/runtime.rs"))
    if excluded:
        notes.append("host functions left out, cfg-gated on a feature production runtimes "
                     "do not enable: " + ", ".join(excluded))
    limits = default_limits(tree.read(prefix + "src/schedule.rs"))
    calls = upload_engine_config(tree.read(prefix + "src/wasm/prepare.rs"))
    version = wasmi_version(lock, pallet)
    wasmi = sources.tree(WASMI_REPO, f"v{version}")
    eng = engine(calls, wasmi.read("crates/wasmi/src/engine/config.rs"), version)
    provenance = {"pallet_contracts": {**tree.provenance(), "version": pallet["version"], **extra},
                  "wasmi": wasmi.provenance()}
    return functions, limits, eng, provenance

# ---------------------------------------------------------------- one chain


def same_as(runtime, spec, lock_text, texts):
    """For each other ref in spec["same_as"]: whether its contracts config and pin match."""
    out = {}
    for ref in spec.get("same_as", []):
        other = Tree(runtime.repo, runtime.path, ref)
        other_texts = [other.read(p) for p in spec["files"]]
        out[ref] = {
            "commit": other.commit,
            "same_contracts_config": [b for b in map(config_block, other_texts) if b] ==
                                     [b for b in map(config_block, texts) if b],
            "same_pallet_contracts_pin":
                lock_package(tomllib.loads(other.read("Cargo.lock")), "pallet-contracts") ==
                lock_package(tomllib.loads(lock_text), "pallet-contracts"),
        }
    return out


SPEC_NAME = re.compile(r'spec_name:\s*[\w:]*(?:create_runtime_str!|Borrowed)\(\s*"([^"]+)"')
SPEC_VERSION = re.compile(r"spec_version:\s*([\d_]+)")


def runtime_version(runtime, spec):
    """The `RuntimeVersion` the runtime declares: how a client knows the chain."""
    text = runtime.read(spec.get("version_file", spec["files"][0]))
    name, version = SPEC_NAME.search(text), SPEC_VERSION.search(text)
    if not name or not version:
        raise ValueError("no spec_name or spec_version in the runtime's RuntimeVersion")
    return {"spec_name": name.group(1), "spec_version": int(version.group(1).replace("_", ""))}


def chain_table(name, spec, sources):
    runtime = sources.tree(spec["repo"], spec["ref"])
    texts = [runtime.read(path) for path in spec["files"]]
    lock_text = runtime.read("Cargo.lock")
    lock = tomllib.loads(lock_text)
    config = runtime_config(spec, texts)
    notes = list(spec.get("notes", []))
    table = {"name": name, "title": spec["title"], "closed": spec.get("closed"),
             "runtime_version": runtime_version(runtime, spec)}
    if spec.get("closed"):
        pallet = lock_package(lock, "pallet-contracts")
        notes.append("closed chain: its pallet-contracts (pinned " + pallet["source"] +
                     ") was not read, so host functions, engine and schedule limits are absent")
        functions, limits, eng = None, {}, None
        extra = {"pallet_contracts": {"pinned": pallet["source"], "version": pallet["version"]}}
    else:
        functions, limits, eng, extra = pallet_tables(sources, lock, notes)
    limits.update(config.pop("schedule_limit_overrides"))
    table.update(config)
    table["limits"].update(limits)
    table["engine"] = eng
    table["host_functions"] = functions
    table["provenance"] = {"runtime": runtime.provenance(), **extra,
                           "same_as": same_as(runtime, spec, lock_text, texts),
                           "generated_by": "scripts/chain_tables.py", "notes": notes}
    return table


def write_table(path, table):
    """The table as JSON, one line per host function."""
    functions = table["host_functions"]
    text = json.dumps({**table, "host_functions": "@"}, indent=1)
    lines = "null" if functions is None else \
        "[\n" + ",\n".join("  " + json.dumps(f) for f in functions) + "\n ]"
    with open(path, "w") as f:
        f.write(text.replace('"@"', lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chains", nargs="*", default=list(CHAINS), metavar="CHAIN")
    parser.add_argument("--mirror", default="/work/.mirror")
    parser.add_argument("--registry", default="~/.cargo/registry/src/index.crates.io-*")
    parser.add_argument("--out", default=os.path.relpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "chains")))
    parser.add_argument("--source", action="append", default=[], metavar="OWNER/NAME=PATH")
    parser.add_argument("--fallback", action="append", default=[], metavar="OWNER/NAME=REF")
    args = parser.parse_args()
    sources = Sources(args)
    os.makedirs(args.out, exist_ok=True)
    for name in args.chains:
        try:
            table = chain_table(name, CHAINS[name], sources)
        except (LookupError, ValueError) as err:
            sys.exit(f"chain_tables: {name}: {err}")
        path = os.path.join(args.out, name + ".json")
        write_table(path, table)
        count = len(table["host_functions"] or [])
        print(f"{path}: {count} host functions, unstable "
              f"{'on' if table['unsafe_unstable_interface'] else 'off'}"
              f"{', CLOSED' if table['closed'] else ''}")


if __name__ == "__main__":
    sys.exit(main())
