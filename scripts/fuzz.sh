#!/usr/bin/env bash
# Coverage-guided fuzzing of the broker core with libFuzzer (what `cargo fuzz`
# does, without needing it or a nightly toolchain):
#   scripts/fuzz.sh [RUNS]    RUNS executions (default 100000); prints the count.
# Findings are written to fuzz/artifacts/; the corpus grows in
# $P2PCLOUD_HOME/fuzz-corpus.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"
runs="${1:-100000}"

export CARGO_TARGET_DIR="$P2PCLOUD_HOME/fuzz-target"
export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# With an explicit --target, the flags reach the fuzzed code but not build scripts.
target="$(rustc -vV | sed -n 's/^host: //p')"
(cd "$root/fuzz" && cargo build --release --locked --target "$target" --bin broker_ops)

corpus="$P2PCLOUD_HOME/fuzz-corpus"
mkdir -p "$corpus" "$root/fuzz/artifacts"
"$CARGO_TARGET_DIR/$target/release/broker_ops" -runs="$runs" -max_len=4096 -len_control=0 \
  -artifact_prefix="$root/fuzz/artifacts/" "$corpus" 2>&1 | tee "$P2PCLOUD_HOME/fuzz.log" | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|panicked" || true
grep -q "Done $runs runs" "$P2PCLOUD_HOME/fuzz.log" || { echo "fuzz: did not finish $runs runs" >&2; exit 1; }
echo "fuzz: $runs executions of broker_ops, no invariant violated"
