#!/usr/bin/env bash
# Installs what building and testing the contracts needs, once per machine,
# outside the clone. Idempotent: a warm machine passes through in seconds.
#   scripts/setup.sh          Rust 1.85 (Debian), lld, cargo-contract
#   scripts/setup.sh --node   also substrate-contracts-node (about 95 min cold)
#   scripts/setup.sh --mutants  also cargo-mutants (for scripts/mutants.sh)
#   scripts/setup.sh --js     also Node.js and @polkadot/api-contract (the
#                             library behind Contracts UI), for the JS tests;
#                             --node implies it
#   scripts/setup.sh --postgres  also PostgreSQL (Debian's), for the indexer's
#                             PostgreSQL test; its tools linked into $P2PCLOUD_HOME/bin
#   scripts/setup.sh --cli    also the p2pcloud CLI, built from this clone (cli/), into
#                             $P2PCLOUD_HOME/bin (on PATH after `source scripts/env.sh`)
#   scripts/setup.sh --console  also Node.js, the web console's npm packages (to
#                             build console/: scripts/build_console.sh) and Debian's
#                             chromium (its browser test); serving the console needs
#                             none of it
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"

RUST_DEB_VERSION="1.85.0+dfsg3-1~deb12u3"
RUST_DEBS=(rustc-web cargo-web libstd-rust-web-dev libstd-rust-web-1.85 rust-web-src rust-web-clippy)
CARGO_CONTRACT_VERSION="5.0.3"
NODE_CRATE_VERSION="0.42.0"
# The newest cargo-mutants that builds with Rust 1.85.
CARGO_MUTANTS_VERSION="26.0.0"

want_node=0
want_mutants=0
want_js=0
want_cli=0
want_postgres=0
want_console=0
for arg in "$@"; do
  case "$arg" in
    --node) want_node=1; want_js=1 ;;
    --mutants) want_mutants=1 ;;
    --js) want_js=1 ;;
    --cli) want_cli=1 ;;
    --postgres) want_postgres=1 ;;
    --console) want_console=1 ;;
    *) echo "setup: unknown option $arg (known: --node, --mutants, --js, --cli, --postgres, --console)" >&2; exit 2 ;;
  esac
done

log() { echo "setup: $*" >&2; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

deb_version() { dpkg-query -W -f='${Status} ${Version}' "$1" 2>/dev/null | sed -n 's/^install ok installed //p'; }

apt_updated=0
apt_install() { # apt_install NAME[=VERSION]...
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq || die "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --allow-downgrades "$@" >/dev/null \
    || die "apt-get install $* failed"
}

install_rust() {
  local missing=()
  for p in "${RUST_DEBS[@]}"; do
    [ "$(deb_version "$p")" = "$RUST_DEB_VERSION" ] || missing+=("$p=$RUST_DEB_VERSION")
  done
  [ "$(deb_version lld-19)" != "" ] || missing+=(lld-19)
  # wasm-validate and wasm-objdump, for the chain compatibility check.
  [ "$(deb_version wabt)" != "" ] || missing+=(wabt)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
  mkdir -p "$P2PCLOUD_HOME/bin"
  ln -sf /usr/lib/llvm-19/bin/lld "$P2PCLOUD_HOME/bin/rust-lld"
  local v
  v="$(rustc --version)"
  case "$v" in
    "rustc 1.85."*) ;;
    *) die "rustc on PATH is '$v', expected Debian's 1.85 at /usr/bin/rustc" ;;
  esac
}

install_cargo_contract() {
  if cargo-contract --version 2>/dev/null | grep -q "^cargo-contract $CARGO_CONTRACT_VERSION-"; then
    return
  fi
  log "installing cargo-contract $CARGO_CONTRACT_VERSION (about 10 minutes)"
  # Its Rust code unoptimized: it only drives cargo and wasm-opt, and compiling
  # it optimized was most of a cold start. wasm-opt's C++ stays at -O1 so that
  # building the bundles takes no longer. Measured: install 9.75 min, bundles
  # byte-identical, their build as fast; the cold start 28.0 -> 23.9 min.
  CARGO_TARGET_DIR="$P2PCLOUD_HOME/tool-build" \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install cargo-contract --version "$CARGO_CONTRACT_VERSION" --locked --root "$P2PCLOUD_HOME" \
    --config 'profile.release.package.wasm-opt-sys.opt-level=1' \
    || die "cargo install cargo-contract failed"
}

# substrate-wasm-builder test-builds a std binary for wasm32 before building the
# runtimes; Debian ships no wasm32 std for 1.85, so build one from rust-web-src.
install_wasm32_std() {
  local sysroot_lib=/usr/lib/rustlib/wasm32-unknown-unknown/lib
  if ls "$sysroot_lib"/libstd-*.rlib >/dev/null 2>&1; then return; fi
  log "building a wasm32-unknown-unknown std from rust-web-src"
  local work="$P2PCLOUD_HOME/wasm32-std"
  rm -rf "$work" && mkdir -p "$work/src"
  printf '[package]\nname = "wasm32_std_probe"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n' >"$work/Cargo.toml"
  echo 'fn main() {}' >"$work/src/main.rs"
  (cd "$work" && RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$work/target" \
    cargo build --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort) \
    || die "building wasm32 std failed"
  as_root mkdir -p "$sysroot_lib"
  find "$work/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' ! -name 'libwasm32_std_probe*' \
    -exec cp {} "$sysroot_lib/" \;
  rm -rf "$work"
}

install_node() {
  if substrate-contracts-node --version 2>/dev/null | grep -q "$NODE_CRATE_VERSION"; then return; fi
  local miss=()
  for p in protobuf-compiler clang libclang-dev; do [ -n "$(deb_version "$p")" ] || miss+=("$p"); done
  [ ${#miss[@]} -eq 0 ] || { log "installing ${miss[*]}"; apt_install "${miss[@]}"; }
  install_wasm32_std
  # The runtimes' wasm builds must use the node's packaged Cargo.lock; without
  # it they resolve crates that need Rust 1.87. `cargo install` unpacks the
  # package under the registry's source folder before building, so point there.
  local registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
  local index
  index="$(ls -d "$registry"/index.crates.io-* 2>/dev/null | head -n1 || true)"
  [ -n "$index" ] || index="$registry/index.crates.io-1949cf8c6b5b557f"
  local src="$index/contracts-node-$NODE_CRATE_VERSION"
  log "building substrate-contracts-node $NODE_CRATE_VERSION (about 95 minutes on 2 cores)"
  WASM_BUILD_WORKSPACE_HINT="$src" CARGO_TARGET_DIR="$P2PCLOUD_HOME/node-build" \
    cargo install contracts-node --version "$NODE_CRATE_VERSION" --locked --root "$P2PCLOUD_HOME" \
    || die "cargo install contracts-node failed"
}

install_cargo_mutants() {
  if cargo mutants --version 2>/dev/null | grep -q "$CARGO_MUTANTS_VERSION"; then return; fi
  log "installing cargo-mutants $CARGO_MUTANTS_VERSION"
  CARGO_TARGET_DIR="$P2PCLOUD_HOME/tool-build" \
    cargo install cargo-mutants --version "$CARGO_MUTANTS_VERSION" --locked --root "$P2PCLOUD_HOME" \
    || die "cargo install cargo-mutants failed"
}

# Node.js >= 18 and npm, from Debian if missing.
install_nodejs() {
  if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' 2>/dev/null \
    || ! command -v npm >/dev/null; then
    log "installing nodejs and npm"
    apt_install nodejs npm
  fi
}

# The JS tests' packages, from the committed lockfile, installed outside the
# clone and linked into it.
install_js() {
  local root="$here/.." js="$P2PCLOUD_HOME/js"
  install_nodejs
  mkdir -p "$js"
  if ! cmp -s "$root/e2e-tests/js/package-lock.json" "$js/package-lock.json" \
    || [ ! -d "$js/node_modules" ]; then
    log "installing the JS tests' packages into $js"
    cp "$root/e2e-tests/js/package.json" "$root/e2e-tests/js/package-lock.json" "$js/"
    (cd "$js" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
  ln -sfn "$js/node_modules" "$root/e2e-tests/js/node_modules"
}

# The console's packages, from its committed lockfile, outside the clone;
# and Debian's chromium, which its browser test drives (playwright-core
# downloads no browser).
install_console() {
  install_nodejs
  bash "$here/build_console.sh" --install || die "installing the console's packages failed"
  if ! command -v chromium >/dev/null; then
    log "installing chromium (Debian's), for the console's browser test"
    apt_install chromium
  fi
}

# The CLI from this clone's sources; a warm build cache makes a reinstall quick.
install_cli() {
  log "installing the p2pcloud CLI from $here/../cli"
  cargo install --locked --force --quiet --path "$here/../cli" --bin p2pcloud \
    --root "$P2PCLOUD_HOME" || die "cargo install of the p2pcloud CLI failed"
}

# Debian keeps initdb and pg_ctl out of PATH; link them where env.sh looks.
install_postgres() {
  if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    if [ -z "$bin" ]; then
      log "installing postgresql"
      apt_install postgresql
      bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    fi
    mkdir -p "$P2PCLOUD_HOME/bin"
    for tool in initdb pg_ctl postgres; do ln -sf "$bin/$tool" "$P2PCLOUD_HOME/bin/$tool"; done
  fi
}

install_rust
install_cargo_contract
[ "$want_node" -eq 0 ] || install_node
[ "$want_mutants" -eq 0 ] || install_cargo_mutants
[ "$want_js" -eq 0 ] || install_js
[ "$want_cli" -eq 0 ] || install_cli
[ "$want_postgres" -eq 0 ] || install_postgres
[ "$want_console" -eq 0 ] || install_console
log "toolchain ready: $(rustc --version), $(cargo-contract --version)"
