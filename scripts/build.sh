#!/usr/bin/env bash
# The main job: installs what is missing, builds every contract into a
# release `.contract` bundle and prints where each bundle is and its size.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
bash "$root/scripts/setup.sh"

CONTRACTS=(psp22-mock broker community)
for contract in "${CONTRACTS[@]}"; do
  echo "build: $contract" >&2
  (cd "$root/$contract" && cargo contract build --release --quiet) \
    || { echo "build: $contract failed" >&2; exit 1; }
done

python3 "$root/scripts/check_bundles.py" "$CARGO_TARGET_DIR/ink" "${CONTRACTS[@]}"
