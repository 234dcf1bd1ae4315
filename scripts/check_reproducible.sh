#!/usr/bin/env bash
# Builds the broker and the community a second time, from a copy of the tree
# in another folder, with another HOME, CARGO_HOME and target folder, and
# fails unless every code hash equals scripts/build.sh's (run that first).
# A verifier on another machine differs from this build in exactly those.
# The second target folder is kept ($P2PCLOUD_HOME/target-reproduce), so a
# warm machine rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/p2pcloud-reproduce.XXXXXX")"
trap 'rm -rf "$work"' EXIT
copy="$work/another/folder/p2pcloud-copy"
mkdir -p "$copy" "$work/home/cargo"
# The tree as git sees it (tracked and new files, nothing ignored).
git -C "$root" ls-files -z --cached --others --exclude-standard \
  | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$copy"
# A clone of its own: build_contract.sh takes the files git lists.
git -C "$copy" init --quiet && git -C "$copy" add --all
# The crates already downloaded, reached through another cargo home's path.
ln -s "${CARGO_HOME:-$HOME/.cargo}/registry" "$work/home/cargo/registry"

# A bundle's code hash, as its metadata records it.
hash() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["hash"])' "$1"; }

second_target="$P2PCLOUD_HOME/target-reproduce"
status=0
for contract in broker community; do
  HOME="$work/home" CARGO_HOME="$work/home/cargo" CARGO_TARGET_DIR="$second_target" \
    CARGO_NET_OFFLINE=true bash "$copy/scripts/build_contract.sh" "$contract" \
    --release --quiet --features per-call-limits
done
# Each build lists the bundles it made: the broker's, its library too
# (broker/src/split.rs).
for contract in $(cat "$CARGO_TARGET_DIR"/ink/{broker,community}/bundles); do
  first="$(hash "$CARGO_TARGET_DIR/ink/$contract/$contract.contract")"
  second="$(hash "$second_target/ink/$contract/$contract.contract")"
  if [ "$first" = "$second" ]; then
    echo "reproducible: $contract $first from both folders"
  else
    echo "reproducible: $contract DIFFERS: $first here, $second from $copy" >&2
    status=1
  fi
done
exit $status
