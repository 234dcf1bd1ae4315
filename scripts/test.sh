#!/usr/bin/env bash
# All tests: unit, ink! off-chain and property tests of every crate, then the
# release builds of every contract (cargo-contract's own lints included).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"
cd "$root"

cargo test --workspace --locked
bash "$root/scripts/build.sh"
