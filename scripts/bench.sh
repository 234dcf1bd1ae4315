#!/usr/bin/env bash
# The benchmark: what every message of the broker and the community costs on
# the embedded chain (ref_time, proof_size, storage deposit), each weight as a
# multiple of a PSP22 transfer measured in the same run, on a market of 10 and
# of 10 000 (or N) offers, users with bookings and members, with the ratio.
# Prints one table and writes the same as JSON to $CARGO_TARGET_DIR/bench.json
# (or FILE).
#   scripts/bench.sh [--json FILE] [--scale N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/build.sh" >/dev/null
cd "$root"
# Release: the embedded runtime interprets the contracts about ten times faster,
# which a market of 10 000 needs (about 5 minutes here).
cargo run --release --quiet --locked -p e2e-tests --bin bench -- --contracts "$CARGO_TARGET_DIR/ink" "$@"
