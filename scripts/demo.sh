#!/usr/bin/env bash
# The main job: installs what is missing, builds the release bundles, deploys
# psp22-mock, the community and the broker, and runs the booking workflow
# between a miner, two users and the community, printing every step.
# On the embedded chain by default; on a running node with --url ws://HOST:PORT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
cd "$root"
# On a cold machine the demo's own compile runs while cargo-contract installs
# (both leave cores idle at times); on a warm one both are done at once.
bash "$root/scripts/setup.sh" --toolchain
cargo build --quiet --locked -p e2e-tests --bin demo &
demo_build=$!
trap 'kill "$demo_build" 2>/dev/null || true' EXIT
bash "$root/scripts/build.sh"
wait "$demo_build"
trap - EXIT
cargo run --quiet --locked -p e2e-tests --bin demo -- --contracts "$CARGO_TARGET_DIR/ink" "$@"
