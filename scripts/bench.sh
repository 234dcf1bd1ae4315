#!/usr/bin/env bash
# The benchmark: what every message of the broker and the community costs on
# the embedded chain (ref_time, proof_size, storage deposit), each weight as a
# multiple of a PSP22 transfer measured in the same run, on a market of 10 and
# of 10 000 (or N) offers, users with bookings and members, with the ratio,
# and where each message's weight goes. Then the same messages on a
# substrate-contracts-node --dev started for the run (CONTRACTS_NODE, or the
# binary on PATH; the table is SKIPPED, with the reason, without one), on the
# market of 10 only (real time), each by dry run: its ref_time and proof_size
# as multiples of a PSP22 transfer dry-run on that node, beside the embedded
# chain's proof-size multiple. Last, issue #27's goals against the run: each
# met or missed, and for a miss the bytes over it and what the message's proof
# is made of. Prints the tables and writes the same as JSON (the node's as its
# `node` section, the goals as `goals`) to $CARGO_TARGET_DIR/bench.json (or FILE).
#   scripts/bench.sh [--json FILE] [--scale N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/build.sh" >/dev/null
cd "$root"
# Release: the embedded runtime interprets the contracts about ten times faster,
# which a market of 10 000 needs (about 5 minutes here).
cargo run --release --quiet --locked -p e2e-tests --bin bench -- --contracts "$CARGO_TARGET_DIR/ink" "$@"
