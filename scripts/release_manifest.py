#!/usr/bin/env python3
"""Release manifests of the contracts: releases/<version>.json records every
bundle's code hash per build profile and the toolchain that decides the
bytes, for the commit the release was built from.

    release_manifest.py write VERSION   after scripts/build.sh, on a clean tree
    release_manifest.py check           every manifest whose contract sources
                                        are today's must match today's build

`check` compares only manifests whose commit has the same contract sources
as HEAD (SOURCES below): a release of other sources cannot be rebuilt from
this tree. It exits 1 on a hash that differs.
"""
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# Everything that decides a bundle's bytes, besides the toolchain.
SOURCES = ["Cargo.toml", "Cargo.lock", "common", "broker", "broker-library", "community",
           "community-library", "psp22-mock",
           "scripts/build.sh", "scripts/build_contract.sh", "scripts/rustc-remap.sh",
           "scripts/env.sh"]
CONTRACTS = ["psp22_mock", "broker_library", "broker", "community_library", "community"]
PROFILES = {
    "per-call-limits": os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
    "stable": os.environ.get("P2PCLOUD_STABLE_TARGET", os.path.join(ROOT, "target-stable")),
}


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def bundle(profile, contract):
    path = os.path.join(PROFILES[profile], "ink", contract, contract + ".contract")
    with open(path) as f:
        return json.load(f)


def built_hashes():
    return {profile: {c: bundle(profile, c)["source"]["hash"] for c in CONTRACTS}
            for profile in PROFILES}


def command_output(*command):
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write(version):
    if git("status", "--porcelain", "--", *SOURCES):
        sys.exit("release: the contract sources have uncommitted changes; commit first")
    build_info = bundle("stable", "broker")["source"]["build_info"]
    manifest = {
        "version": version,
        "commit": git("rev-parse", "HEAD"),
        "toolchain": {
            "rustc": command_output("rustc", "-V"),
            "debian_package": "rustc-web " + command_output(
                "dpkg-query", "-W", "-f=${Version}", "rustc-web"),
            "cargo_contract": command_output("cargo", "contract", "--version"),
            "wasm_opt_settings": json.dumps(build_info.get("wasm_opt_settings"), sort_keys=True),
        },
        "profiles": built_hashes(),
    }
    path = os.path.join(ROOT, "releases", version + ".json")
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"release: wrote {os.path.relpath(path, ROOT)}")


def same_sources(commit):
    return subprocess.run(["git", "-C", ROOT, "diff", "--quiet", commit, "HEAD", "--", *SOURCES],
                          capture_output=True).returncode == 0


def check():
    manifests = sorted(glob.glob(os.path.join(ROOT, "releases", "*.json")))
    built = built_hashes()
    failed = False
    for path in manifests:
        with open(path) as f:
            manifest = json.load(f)
        name = f"release {manifest['version']}"
        if not same_sources(manifest["commit"]):
            print(f"{name}: the contract sources changed since {manifest['commit'][:12]}: "
                  "not compared (rebuild that commit to check it)")
            continue
        for profile, hashes in manifest["profiles"].items():
            for contract, recorded in hashes.items():
                if built[profile].get(contract) != recorded:
                    failed = True
                    print(f"{name}: {contract} ({profile}) built as {built[profile].get(contract)}, "
                          f"recorded {recorded}", file=sys.stderr)
        if not failed:
            print(f"{name}: every bundle's code hash is the recorded one")
    if not manifests:
        print("release: no manifest in releases/")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        write(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "check":
        sys.exit(check())
    else:
        sys.exit(__doc__)
