#!/usr/bin/env bash
# All tests: unit, ink! off-chain and property tests of every crate, the
# release builds of every contract (cargo-contract's own lints included), the
# scenarios on the embedded chain, then the same scenarios on
# substrate-contracts-node when it is installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"
cd "$root"

cargo test --workspace --locked --exclude e2e-tests
bash "$root/scripts/build.sh"

# The scenarios on the embedded chain (built on the release bundles above).
cargo test -p e2e-tests --locked --test embedded --test broker_safety

if command -v substrate-contracts-node >/dev/null; then
  cargo test -p e2e-tests --locked --test node -- --test-threads=1
else
  # Still compile them, so they cannot rot unseen.
  cargo test -p e2e-tests --locked --test node --no-run
  echo "e2e: SKIPPED the node tests: substrate-contracts-node is not installed" \
    "(install it once per machine with: bash scripts/setup.sh --node)"
fi
