#!/usr/bin/env python3
"""Other ways to split a contract between its code and libraries, measured:
each design builds the contract's code with another set of messages hot (the
rest handed to a library, as `cold!` does) and libraries that run only a given
set, and prints the code each path of a hot message then loads. The bench
prices the rest (docs/CONTRACTS.md#issue-27-what-was-cut-and-what-is-left):
code costs its length in proof, and a hop into a library adds its own.

    python3 scripts/split_designs.py broker|community [--json]

A build moves a message by rewriting its `hot!`/`cold!` marker and its
argument types in a copy of the crates (with its own target directory, so the
project's bundles and cache are left alone), exactly as the split's two real
builds differ. Needs `scripts/env.sh`'s PATH.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from message_sizes import copy_crates, scratch_target
# The messages neither marker moves: the swap check needs a hot
# `get_layout_version`, and `migrate_storage` hands itself over.
FIXED = {"migrate_storage", "pin_and_migrate", "get_layout_version"}
NO_LIBRARY = "00" * 32

BROKER_FUNDS = ["deposit_coin", "withdraw_coin", "withdraw_up_to"]
BROKER_MARKET = ["add_offer", "update_offer", "remove_offer", "set_miner_url",
                 "book_vm", "claim_payment", "stop_booking"]
COMMUNITY_GOVERNANCE = ["propose", "vote"]
COMMUNITY_FEES = ["collect_fees", "claim_share", "claim_closed_share", "pay_out_shares"]

# Per contract: the builds (a name, "hot" or "library", the messages that
# run in it) and the paths to print (a message, the builds it loads).
DESIGNS = {
    "broker": {
        "builds": [
            ("today's hot build", "hot", BROKER_FUNDS + BROKER_MARKET),
            ("a router (every message handed over)", "hot", []),
            ("the funds alone hot", "hot", BROKER_FUNDS),
            ("the market alone hot", "hot", BROKER_MARKET),
            ("a library of the funds", "library", BROKER_FUNDS),
            ("a library of the market", "library", BROKER_MARKET),
            ("a library of nothing", "library", []),
        ],
        "paths": [
            ("withdraw_coin today", ["today's hot build"]),
            ("book_vm today", ["today's hot build"]),
            ("withdraw_coin, router and libraries", ["a router (every message handed over)",
                                                      "a library of the funds"]),
            ("book_vm, router and libraries", ["a router (every message handed over)",
                                                "a library of the market"]),
            ("withdraw_coin, the funds hot", ["the funds alone hot"]),
            ("book_vm, the funds hot", ["the funds alone hot", "a library of the market"]),
            ("withdraw_coin, the market hot", ["the market alone hot", "a library of the funds"]),
        ],
    },
    "community": {
        "builds": [
            ("today's hot build", "hot", COMMUNITY_GOVERNANCE + COMMUNITY_FEES),
            ("a router (every message handed over)", "hot", []),
            ("the fee messages alone hot", "hot", COMMUNITY_FEES),
            ("collect_fees and claim_share alone hot", "hot", ["collect_fees", "claim_share"]),
            ("claim_share alone hot", "hot", ["claim_share"]),
        ],
        "paths": [
            ("claim_share today", ["today's hot build"]),
            ("claim_share, the fee messages hot", ["the fee messages alone hot"]),
            ("claim_share, with collect_fees", ["collect_fees and claim_share alone hot"]),
            ("claim_share alone", ["claim_share alone hot"]),
        ],
    },
}

# A message's name, its signature and its marker, never reaching into the next
# function (constructors and helpers have no marker).
MARKER = re.compile(r"pub fn (\w+)\(((?:(?!pub fn ).)*?)\b(hot|cold)!\(", re.S)
TYPE_LIST = re.compile(
    r"argument_types!\((hot|cold), skipped in \"\w+\",\n(.*?)\);", re.S)


def rewrite(source, real, build):
    """`source` with the messages in `real` running in this build and every
    other movable one handed over (a hot build) or trapping (a library)."""
    def marker(match):
        name, signature = match.group(1), match.group(2)
        if name in FIXED:
            return match.group(0)
        runs_here = name in real
        # In the hot build `hot!` runs the body; in the library `cold!` does.
        kind = ("hot" if runs_here else "cold") if build == "hot" else \
            ("cold" if runs_here else "hot")
        signature = re.sub(r"\b(hot|cold)::", kind + "::", signature)
        return f"pub fn {name}({signature}{kind}!("
    return MARKER.sub(marker, source)


def widen_type_lists(split_source):
    """Both argument-type lists with every type either names, so a message
    can take its types from either."""
    entries = {}
    for match in TYPE_LIST.finditer(split_source):
        for line in match.group(2).strip().splitlines():
            entries[line.split("=")[0].strip()] = line.strip()
    union = "".join(f"    {entries[name]}\n" for name in sorted(entries))
    return TYPE_LIST.sub(
        lambda m: f"argument_types!({m.group(1)}, skipped in "
                  f"\"{'hot' if m.group(1) == 'cold' else 'library'}\",\n{union});",
        split_source)


def build(crate_dir, target_dir, build_kind):
    """The optimized Wasm's size in bytes."""
    features = "hot,per-call-limits" if build_kind == "hot" else "library,per-call-limits"
    # cargo-contract's lint step builds every feature, so both hashes are set.
    environment = {**os.environ, "CARGO_TARGET_DIR": target_dir,
                   "P2PCLOUD_BROKER_LIBRARY": NO_LIBRARY,
                   "P2PCLOUD_COMMUNITY_LIBRARY": NO_LIBRARY}
    result = subprocess.run(
        ["cargo", "contract", "build", "--release", "--quiet", "--features", features],
        cwd=crate_dir, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout[-3000:] + result.stderr[-3000:])
    name = os.path.basename(crate_dir).replace("-", "_")
    return os.path.getsize(os.path.join(target_dir, "ink", name, name + ".wasm"))


def measure(contract):
    target_dir = scratch_target("split-designs-target")
    sizes = {}
    with tempfile.TemporaryDirectory() as work:
        copy_crates(work)
        crate_dir = os.path.join(work, contract)
        lib = os.path.join(crate_dir, "src", "lib.rs")
        split = os.path.join(crate_dir, "src", "split.rs")
        with open(lib) as file:
            source = file.read()
        with open(split) as file:
            split_source = file.read()
        with open(split, "w") as file:
            file.write(widen_type_lists(split_source))
        for name, kind, real in DESIGNS[contract]["builds"]:
            with open(lib, "w") as file:
                file.write(rewrite(source, set(real), kind))
            sizes[name] = build(crate_dir, target_dir, kind)
            print(f"  {name}: {sizes[name]}", file=sys.stderr)
    return sizes


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1 or args[0] not in DESIGNS:
        raise SystemExit(__doc__)
    contract = args[0]
    sizes = measure(contract)
    paths = [{"path": path, "builds": builds, "code_bytes": sum(sizes[b] for b in builds),
              "hops": len(builds) - 1}
             for path, builds in DESIGNS[contract]["paths"]]
    if "--json" in sys.argv:
        print(json.dumps({"contract": contract, "builds": sizes, "paths": paths}, indent=2))
        return
    print(f"{contract}: each build's code (bytes)")
    for name, size in sizes.items():
        print(f"  {size:>7}  {name}")
    print("the code a message loads on each path (a hop also costs its own proof)")
    for path in paths:
        hops = f" + {path['hops']} hop" if path["hops"] else ""
        print(f"  {path['code_bytes']:>7}{hops:<7}  {path['path']}")


if __name__ == "__main__":
    main()
