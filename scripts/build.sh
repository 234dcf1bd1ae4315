#!/usr/bin/env bash
# The main job: installs what is missing, builds every contract into a
# release `.contract` bundle in both build profiles, prints where each bundle
# is and its size, and checks every bundle against every chain it targets.
#
# Profiles (docs/DEPLOY.md#chains):
#   $CARGO_TARGET_DIR/ink/         per-call-limits: token calls carry their own
#                                  proof-size and storage-deposit limits
#                                  (`seal2::call`); what the tests, the demo
#                                  and the CLI use
#   $P2PCLOUD_STABLE_TARGET/ink/   stable host functions only (`seal1::call`,
#                                  `seal1::instantiate`): every chain,
#                                  Aleph Zero included
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"

CONTRACTS=(psp22-mock broker community)
# Each profile keeps its own build cache, so a warm machine rebuilds neither.
# psp22-mock makes no cross-contract call: it is the same in both.
build_profile() { # build_profile TARGET_DIR [cargo contract build options of broker and community...]
  local target="$1"
  shift
  for contract in "${CONTRACTS[@]}"; do
    local options=()
    [ "$contract" = psp22-mock ] || options=("$@")
    echo "build: $contract ($(basename "$target"))" >&2
    # Reproducible: built from a fixed folder (scripts/build_contract.sh).
    CARGO_TARGET_DIR="$target" bash "$root/scripts/build_contract.sh" "$contract" --release --quiet "${options[@]}" \
      || { echo "build: $contract failed" >&2; exit 1; }
  done
  python3 "$root/scripts/check_bundles.py" "$target/ink" $(bundles "$target")
}
# The bundles each profile's builds made, as build_contract.sh lists them:
# the broker's library too (broker/src/split.rs).
bundles() { # bundles TARGET_DIR
  for contract in "${CONTRACTS[@]}"; do cat "$1/ink/${contract//-/_}/bundles"; done
}
wasm_files() { # wasm_files TARGET_DIR
  for bundle in $(bundles "$1"); do echo "$1/ink/$bundle/$bundle.wasm"; done
}
build_profile "$CARGO_TARGET_DIR" --features per-call-limits
build_profile "$P2PCLOUD_STABLE_TARGET"

# Every bundle against every chain's host functions, engine and limits
# (chains/*.json, generated from each chain's own sources). The per-call-limits
# profile needs `seal2`, which Aleph Zero does not link: that rejection is
# expected, and the check fails if it stops happening.
python3 "$root/scripts/chain_compat.py" --chains "$root/chains" \
  --expect-reject aleph-zero:broker --expect-reject aleph-zero:broker_library \
  --expect-reject aleph-zero:community --expect-reject aleph-zero:community_library \
  $(wasm_files "$CARGO_TARGET_DIR")
python3 "$root/scripts/chain_compat.py" --chains "$root/chains" $(wasm_files "$P2PCLOUD_STABLE_TARGET")
