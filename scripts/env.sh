# Sourced by every project script: one place that says where the pinned
# toolchain, the installed tools and the build cache live (all outside the clone).
export P2PCLOUD_HOME="${P2PCLOUD_HOME:-$HOME/.cache/p2pcloud}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$P2PCLOUD_HOME/target}"
# The bundles built with stable host functions only (scripts/build.sh).
export P2PCLOUD_STABLE_TARGET="${P2PCLOUD_STABLE_TARGET:-$P2PCLOUD_HOME/target-stable}"
# Debian's Rust 1.85 must win over rustup's newer toolchain: Rust >= 1.87 emits
# bulk-memory instructions that pallet-contracts rejects (use-ink/ink#2513).
case ":$PATH:" in
  "/usr/bin:$P2PCLOUD_HOME/bin:"*) ;;
  *) export PATH="/usr/bin:$P2PCLOUD_HOME/bin:$PATH" ;;
esac
