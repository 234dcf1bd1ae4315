#!/usr/bin/env bash
# The main job: installs what is missing, builds the release bundles, deploys
# psp22-mock, the community and the broker, and runs the booking workflow
# between a miner, two users and the community, printing every step.
# On the embedded chain by default; on a running node with --url ws://HOST:PORT.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/build.sh"
cd "$root"
cargo run --quiet --locked -p e2e-tests --bin demo -- --contracts "$CARGO_TARGET_DIR/ink" "$@"
