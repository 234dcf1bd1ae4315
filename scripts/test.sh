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

# Style and lints, over the workspace and the fuzz crate (its own workspace).
# broker-next is the broker's own source in layout 2, for the upgrade test:
# its library is linted, the broker's tests are run once, under broker.
cargo fmt --all -- --check
(cd fuzz && cargo fmt -- --check)
cargo clippy --workspace --all-targets --locked --exclude broker-next -- -D warnings
cargo clippy -p broker-next --locked -- -D warnings
(cd fuzz && cargo clippy --all-targets --locked -- -D warnings)
# No crate's modules import each other in a cycle (and the check's own tests).
python3 -m unittest "$root/scripts/test_check_module_cycles.py"
python3 "$root/scripts/check_module_cycles.py" broker/src community/src common/src \
  psp22-mock/src client/src cli/src indexer/src e2e-tests/src

cargo test --workspace --locked --exclude e2e-tests --exclude broker-next

# The indexer's store against a real PostgreSQL, where one is installed
# (bash scripts/setup.sh --postgres installs it).
if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  cargo test -p p2pcloud-indexer --locked --test store -- --ignored
else
  echo "indexer: SKIPPED the PostgreSQL test: PostgreSQL is not installed" \
    "(install it once per machine with: bash scripts/setup.sh --postgres)"
fi
# The chain compatibility check's own tests (tiny Wasm modules made in the test).
python3 -m unittest "$root/scripts/test_chain_compat.py"
# The renaming of the split broker's argument types in its metadata.
python3 -m unittest "$root/scripts/test_split_type_names.py"
bash "$root/scripts/build.sh"
# Every relative link in the docs resolves; every message the references name
# exists in the built metadata.
python3 "$root/scripts/check_docs.py" "$CARGO_TARGET_DIR/ink"
# The web console: dist/ is what console/src builds and abi/ the metadata of
# the bundles just built; then its tests: its leaf values and refusal
# sentences, and, where substrate-contracts-node is installed, its chain
# side, its pages in jsdom and the browser test (headless Chromium against
# the node and `p2pcloud serve --console`, this clone's binary), each
# SKIPPED with the reason without the node.
bash "$root/scripts/setup.sh" --console
bash "$root/scripts/build_console.sh" --check
cargo build -p p2pcloud-cli --locked
P2PCLOUD_BIN="$CARGO_TARGET_DIR/debug/p2pcloud" bash "$root/scripts/build_console.sh" --test
# Reproducible builds: the same hashes from another folder, home and cargo
# home; and every release manifest of today's contract sources matches.
bash "$root/scripts/check_reproducible.sh"
python3 "$root/scripts/release_manifest.py" check

# The scenarios on the embedded chain (built on the release bundles above),
# then again on the stable-host-functions build, what Aleph Zero takes.
cargo test -p e2e-tests --locked --test embedded --test broker_safety
# The SDK on the embedded chain, without a node (it needs the bundles above).
cargo test -p p2pcloud-client --locked --features embedded --test sdk
P2PCLOUD_PROFILE=stable cargo test -p e2e-tests --locked --test embedded

# Contracts UI's library (@polkadot/api-contract) instantiating each contract
# from its code hash on a dev node of our own, stopped when the tests end.
js_tests() {
  bash "$root/scripts/setup.sh" --js
  local port=9966 log="$P2PCLOUD_HOME/js-node.log"
  "$node_binary" --dev --tmp --rpc-port "$port" >"$log" 2>&1 &
  local node=$!
  trap 'kill "$node" 2>/dev/null || true' EXIT
  for _ in $(seq 60); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 1
  done
  P2PCLOUD_NODE_URL="ws://127.0.0.1:$port" P2PCLOUD_BUNDLES="$CARGO_TARGET_DIR/ink" \
    node --test "$root/e2e-tests/js/"
  kill "$node"
  trap - EXIT
}

# The node: CONTRACTS_NODE if set (as the node tests read it), else the one on PATH.
node_binary="${CONTRACTS_NODE:-substrate-contracts-node}"
if command -v "$node_binary" >/dev/null; then
  # The dev node of the tests found where it listens even when its port was taken.
  cargo test -p p2pcloud-client --locked --lib -- --ignored
  cargo test -p e2e-tests --locked --test node -- --test-threads=1
  P2PCLOUD_PROFILE=stable cargo test -p e2e-tests --locked --test node -- --test-threads=1
  # The p2pcloud CLI as a subprocess: the whole workflow and bad input.
  cargo test -p p2pcloud-cli --locked --test cli -- --ignored
  js_tests
else
  # Still compile them, so they cannot rot unseen.
  cargo test -p e2e-tests --locked --test node --no-run
  echo "e2e: SKIPPED the node tests, the CLI test and the @polkadot/api-contract tests:" \
    "substrate-contracts-node is not installed" \
    "(install it once per machine with: bash scripts/setup.sh --node)"
fi
