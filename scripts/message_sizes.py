#!/usr/bin/env python3
"""What each message of a contract adds to its optimized Wasm: the contract is
built once whole and once without each message (its `#[ink(message)]`
attribute dropped, so the message and whatever only it uses fall away), and
the difference is that message's own bytes. Code two messages share shows in
neither, so the column does not add up to the whole.

    python3 scripts/message_sizes.py CONTRACT [--json]

Builds in a copy of the crates, with its own target directory, so the
project's bundles and build cache are left alone. Needs `scripts/env.sh`'s
PATH (the Rust 1.85 toolchain and cargo-contract).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["common", "broker", "community", "psp22-mock"]
MESSAGE = re.compile(r"^\s*#\[ink\(message[^\]]*\)\]\n(?:\s*#\[.*\]\n)*\s*pub fn (\w+)", re.M)


def scratch_target(name):
    """A target directory of the measuring script's own, outside the clone."""
    return os.path.join(
        os.environ.get("P2PCLOUD_HOME", os.path.expanduser("~/.cache/p2pcloud")), name)


def copy_crates(work):
    """The contract crates and the lockfile, copied into a workspace at
    `work` whose sources can be rewritten freely."""
    for crate in CRATES:
        shutil.copytree(os.path.join(ROOT, crate), os.path.join(work, crate),
                        ignore=shutil.ignore_patterns("target"))
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), work)
    with open(os.path.join(work, "Cargo.toml"), "w") as manifest:
        manifest.write('[workspace]\nresolver = "3"\nmembers = %s\n'
                       % json.dumps(CRATES))


def build(crate_dir, target_dir):
    """The optimized Wasm's size in bytes."""
    subprocess.run(
        ["cargo", "contract", "build", "--release", "--quiet"],
        cwd=crate_dir, check=True,
        env={**os.environ, "CARGO_TARGET_DIR": target_dir},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    name = os.path.basename(crate_dir).replace("-", "_")
    return os.path.getsize(os.path.join(target_dir, "ink", name, name + ".wasm"))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1 or args[0] not in CRATES[1:]:
        raise SystemExit(__doc__)
    contract = args[0]
    target_dir = scratch_target("message-sizes-target")
    with tempfile.TemporaryDirectory() as work:
        copy_crates(work)
        crate_dir = os.path.join(work, contract)
        lib = os.path.join(crate_dir, "src", "lib.rs")
        with open(lib) as file:
            source = file.read()
        whole = build(crate_dir, target_dir)
        rows = []
        for match in MESSAGE.finditer(source):
            attribute_end = source.index("\n", match.start()) + 1
            with open(lib, "w") as file:
                file.write(source[:match.start()] + source[attribute_end:])
            without = build(crate_dir, target_dir)
            rows.append({"message": match.group(1), "bytes": whole - without})
            print(f"  {match.group(1)}: {whole - without}", file=sys.stderr)
        with open(lib, "w") as file:
            file.write(source)
    rows.sort(key=lambda row: -row["bytes"])
    if "--json" in sys.argv:
        print(json.dumps({"contract": contract, "wasm_bytes": whole, "messages": rows},
                         indent=2))
        return
    print(f"{contract}.wasm: {whole} bytes; each message's own bytes:")
    for row in rows:
        print(f"  {row['bytes']:>7}  {100 * row['bytes'] / whole:5.1f}%  {row['message']}")
    print(f"  {sum(r['bytes'] for r in rows):>7}  in all (shared code counts in none)")


if __name__ == "__main__":
    main()
