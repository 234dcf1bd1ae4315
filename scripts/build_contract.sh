#!/usr/bin/env bash
# Builds one contract reproducibly: the same bytes from any clone folder,
# user, HOME, CARGO_HOME or target folder on a machine with the pinned
# toolchain (docs/SECURITY.md#verifying-the-code-on-chain).
#   build_contract.sh FOLDER [cargo contract build options...]
# FOLDER is the contract's folder in the tree (broker, e2e-tests/hostile-token);
# the bundle lands in $CARGO_TARGET_DIR/ink/<name>/ as cargo-contract leaves it.
#
# Why a fixed folder: cargo-contract builds a copy of the contract's manifest
# in a temporary workspace, whose path dependencies (common/) are then
# outside it, so cargo hashes their path from there into every symbol, and
# the code's layout follows the clone's folder. Built from /tmp/p2pcloud-build
# that path is the same everywhere; the paths left (cargo home, target
# folder) are remapped by rustc-remap.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
folder="$1"
shift
# The broker and the community are two bundles each (common/src/split.rs):
# the library is built first (cargo-contract builds without default
# features: `library` by name), and the hot build fixes the library's code
# hash in its code, from the variable its split module reads.
case "$folder" in
  broker) library=broker-library library_variable=P2PCLOUD_BROKER_LIBRARY ;;
  e2e-tests/broker-next) library=e2e-tests/broker-next-library library_variable=P2PCLOUD_BROKER_LIBRARY ;;
  community) library=community-library library_variable=P2PCLOUD_COMMUNITY_LIBRARY ;;
  *) library= ;;
esac
if [ -n "$library" ]; then
  bash "$0" "$library" "$@" --features library
  library_name="$(basename "$library" | tr - _)"
  library_hash="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["source"]["hash"][2:])' \
    "${CARGO_TARGET_DIR:?}/ink/$library_name/$library_name.json")"
  export "$library_variable=$library_hash"
  set -- "$@" --features hot
fi
canonical=/tmp/p2pcloud-build
exec 9>"$canonical.lock"
flock 9
# The tree as git sees it (tracked and new files, nothing ignored), with its
# files' times, so cargo rebuilds only what changed.
rm -rf "$canonical"
mkdir -p "$canonical"
git -C "$root" ls-files -z --cached --others --exclude-standard \
  | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$canonical"
# Cargo does not count flags a wrapper adds as a change: a cache built
# before the remapping would keep its dependencies' real paths. Such a
# cache (no marker) is emptied once.
name="$(basename "$folder" | tr - _)"
cache="${CARGO_TARGET_DIR:?}/ink/$name"
marker="$cache/.paths-remapped-v1"
if [ -d "$cache/wasm32-unknown-unknown" ] && [ ! -f "$marker" ]; then
  echo "build: $name: emptying a cache built without remapped paths" >&2
  rm -rf "$cache/wasm32-unknown-unknown"
fi
cd "$canonical/$folder"
TMPDIR=/tmp P2PCLOUD_SOURCE_ROOT="$canonical" RUSTC_WRAPPER="$canonical/scripts/rustc-remap.sh" \
  cargo contract build "$@"
touch "$marker"
python3 "$canonical/scripts/split_type_names.py" "$cache/$name.json" "$cache/$name.contract"
# The bundles this build made, a split contract's library first, for the
# scripts and tests that read them.
{ [ -z "$library" ] || echo "$library_name"; echo "$name"; } > "$cache/bundles"
