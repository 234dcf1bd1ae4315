#!/usr/bin/env bash
# The indexer's benchmark: stores 100 000 synthetic broker events and prints
# events per second, fills the store to 1 000 000 events, then prints the p50
# and p99 latency of the queries the CLI and the HTTP API ask.
#   scripts/bench-indexer.sh [--db FILE_OR_POSTGRES_URL] [--events N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh" >/dev/null
cd "$root"
cargo run --release --quiet --locked -p p2pcloud-indexer --bin indexer-bench -- "$@"
