//! Where the built contract bundles are: `scripts/build.sh` leaves each one
//! in `$CARGO_TARGET_DIR/ink/<name>/` (`<name>.wasm`, `<name>.json`,
//! `<name>.contract`).
use crate::domain::Metadata;
use std::path::{Path, PathBuf};

/// The contracts a deployment needs, by Wasm file stem. The broker's cold
/// messages run in `broker_library` (broker/src/split.rs), uploaded first.
pub const DEPLOYED: [&str; 4] = ["psp22_mock", "broker_library", "broker", "community"];

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
