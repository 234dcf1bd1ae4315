#!/bin/sh
# Cargo's RUSTC_WRAPPER for reproducible bundles (scripts/env.sh sets it):
# called as `rustc-remap.sh RUSTC ARGS...`, it runs rustc with every path
# that differs between machines mapped to a fixed name, so a file path that
# reaches the Wasm (a panic location, `file!()`) is the same from any clone
# folder, home, cargo home or target folder.
exec "$@" \
  --remap-path-prefix="${P2PCLOUD_SOURCE_ROOT:?}=/p2pcloud" \
  --remap-path-prefix="${CARGO_HOME:-$HOME/.cargo}=/cargo" \
  --remap-path-prefix="${CARGO_TARGET_DIR:-/nonexistent}=/target"
