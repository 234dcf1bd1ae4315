//! Builds the contracts the scenarios deploy with the `cargo-contract` that
//! `scripts/setup.sh` installed, in release mode exactly as `scripts/build.sh`
//! does (same target folders, so each build reuses the other's cache). No
//! second copy of cargo-contract's build library (and wasm-opt's C++) is
//! compiled into the tests.
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

/// The contracts, by folder in the workspace.
const CONTRACTS: [&str; 5] = [
    "psp22-mock",
    "broker",
    "community",
    "e2e-tests/hostile-token",
    "e2e-tests/broker-next",
];

/// The Wasm files of every contract, built once per process.
pub fn contract_wasm() -> Vec<PathBuf> {
    static BUILT: OnceLock<Vec<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("e2e-tests lives in the workspace");
            // Where cargo-contract puts bundles: as scripts/build.sh sets it,
            // or the workspace's own target folder.
            let bundles = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| workspace.join("target"), PathBuf::from)
                .join("ink");
            CONTRACTS
                .iter()
                .map(|folder| build(&workspace.join(folder), &bundles))
                .collect()
        })
        .clone()
}

fn build(folder: &Path, bundles: &Path) -> PathBuf {
    let mut command = Command::new("cargo");
    command
        .args(["contract", "build", "--release", "--quiet"])
        .current_dir(folder);
    // cargo-contract builds without default features: the second broker's
    // layout is asked for by name.
    if folder.ends_with("broker-next") {
        command.args(["--features", "next-layout"]);
    }
    let status = command.status().unwrap_or_else(|e| {
        panic!("cargo contract could not start ({e}): install it with bash scripts/setup.sh")
    });
    assert!(status.success(), "building {} failed", folder.display());
    let name = folder
        .file_name()
        .expect("a contract folder has a name")
        .to_string_lossy()
        .replace('-', "_");
    let wasm = bundles.join(&name).join(format!("{name}.wasm"));
    assert!(
        wasm.is_file(),
        "{} produced no {}",
        folder.display(),
        wasm.display()
    );
    wasm
}
