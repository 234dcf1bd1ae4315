#!/usr/bin/env bash
# Builds the web console (console/) into console/dist, the assets that
# `p2pcloud serve --console` embeds: its npm packages from the committed
# lockfile (npm ci, into $P2PCLOUD_HOME/console, linked as
# console/node_modules; nothing installed globally), a type check, then
# esbuild. Idempotent: a second run installs nothing and rebuilds the same
# bytes.
#   scripts/build_console.sh            install if needed, type-check, build dist/
#   scripts/build_console.sh --install  only the packages (scripts/setup.sh --console)
#   scripts/build_console.sh --check    fail if dist/ is not what src/ builds, or abi/
#                                       not the built bundles' metadata (when built)
#   scripts/build_console.sh --test     the console's tests: its leaf modules, its
#                                       refusal sentences against the Rust sources,
#                                       its chain side and pages (jsdom) on a dev node
#                                       of its own, and the browser test (headless
#                                       chromium, p2pcloud serve --console: $P2PCLOUD_BIN
#                                       or $CARGO_TARGET_DIR/debug/p2pcloud); SKIPPED,
#                                       saying why, without the node, chromium or binary
#   scripts/build_console.sh --abi      refresh console/abi/ from the built bundles
#                                       ($CARGO_TARGET_DIR/ink, scripts/build.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
source "$here/env.sh"
console="$here/../console"
packages="$P2PCLOUD_HOME/console"

log() { echo "build_console: $*" >&2; }
die() { echo "build_console: ERROR: $*" >&2; exit 1; }

mode="${1:-build}"
case "$mode" in
  build|--install|--check|--test|--abi) ;;
  *) die "unknown option $mode (known: --install, --check, --test, --abi)" ;;
esac

# The packages the lockfile pins, installed once per lockfile outside the
# clone (as scripts/setup.sh --js does for the JS tests).
install_packages() {
  command -v node >/dev/null && command -v npm >/dev/null \
    || die "Node.js and npm are missing: run bash scripts/setup.sh --console"
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' \
    || die "Node.js $(node --version) is too old: the console needs 18 or newer"
  mkdir -p "$packages"
  if ! cmp -s "$console/package-lock.json" "$packages/package-lock.json" \
    || [ ! -d "$packages/node_modules" ]; then
    log "installing the console's packages into $packages"
    cp "$console/package.json" "$console/package-lock.json" "$packages/"
    # The browser test drives Debian's chromium: no browser is downloaded.
    (cd "$packages" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
      || die "npm ci failed"
  fi
  # A folder npm made in place gives way to the link.
  if [ -e "$console/node_modules" ] && [ ! -L "$console/node_modules" ]; then
    rm -rf "$console/node_modules"
  fi
  ln -sfn "$packages/node_modules" "$console/node_modules"
}

install_packages
cd "$console"
case "$mode" in
  --install) ;;
  build)
    node_modules/.bin/tsc --noEmit -p tsconfig.json || die "the type check failed"
    node build.mjs
    log "built $(cd dist && du -ch index.html app.js app.css | tail -n1 | cut -f1) into console/dist"
    ;;
  --check) node build.mjs --check ;;
  --test)
    node build.mjs --tests
    node --test .test-build/*.test.mjs
    ;;
  --abi) node build.mjs --abi "$CARGO_TARGET_DIR/ink" ;;
esac
