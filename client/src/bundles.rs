//! Where the built contract bundles are: `scripts/build.sh` leaves each one
//! in `$CARGO_TARGET_DIR/ink/<name>/` (`<name>.wasm`, `<name>.json`,
//! `<name>.contract`).
use crate::domain::Metadata;
use std::path::{Path, PathBuf};

/// The protocol's contracts, by Wasm file stem. The broker's and the
/// community's cold messages run in their libraries (common/src/split.rs),
/// each uploaded before its contract.
pub const PROTOCOL: [&str; 4] = ["broker_library", "broker", "community_library", "community"];

/// The contracts a deployment needs: the protocol's, and the development
/// stablecoin where no stablecoin is given.
pub const DEPLOYED: [&str; 5] = [
    "psp22_mock",
    PROTOCOL[0],
    PROTOCOL[1],
    PROTOCOL[2],
    PROTOCOL[3],
];

/// Where `scripts/build.sh` leaves the bundles: `$CARGO_TARGET_DIR/ink`.
pub fn build_sh_folder() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| PathBuf::from(dir).join("ink"))
        .unwrap_or_else(|| PathBuf::from("target/ink"))
}

/// Where `scripts/build.sh` leaves the stable-host-functions build (the one
/// chains with unstable functions off take): `$P2PCLOUD_STABLE_TARGET/ink`.
pub fn stable_folder() -> PathBuf {
    std::env::var_os("P2PCLOUD_STABLE_TARGET")
        .map(|dir| PathBuf::from(dir).join("ink"))
        .unwrap_or_else(|| PathBuf::from("target-stable/ink"))
}

/// The Wasm files of the deployed contracts under `folder`
/// (`folder/<name>/<name>.wasm`), or which one is missing.
pub fn built_wasm(folder: &Path) -> Result<Vec<PathBuf>, String> {
    DEPLOYED
        .iter()
        .map(|name| {
            let file = folder.join(name).join(format!("{name}.wasm"));
            if file.is_file() {
                Ok(file)
            } else {
                Err(format!(
                    "{} is missing: build the bundles first (bash scripts/build.sh)",
                    file.display()
                ))
            }
        })
        .collect()
}

/// The metadata of the deployed contracts under `folder`
/// (`folder/<name>/<name>.json`): what names and prints their events.
pub fn metadata(folder: &Path) -> Metadata {
    Metadata::load(
        DEPLOYED
            .iter()
            .map(|name| folder.join(name).join(format!("{name}.json"))),
    )
}
