//! Builds the contracts the scenarios deploy, in release mode exactly as
//! `scripts/build.sh` does (same target folders, so each build reuses the
//! other's cache). ink_e2e's own builder is not used: it builds every package
//! with an `ink-as-dependency` feature, including the `psp22` library, whose
//! code fails cargo-contract's lints.
use contract_build::{BuildMode, ExecuteArgs, ManifestPath, OptimizationPasses, Verbosity};
use std::{
    path::{Path, PathBuf},
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
            CONTRACTS
                .iter()
                .map(|folder| build(&workspace.join(folder).join("Cargo.toml")))
                .collect()
        })
        .clone()
}

fn build(manifest: &Path) -> PathBuf {
    let mut args = ExecuteArgs {
        manifest_path: ManifestPath::new(manifest)
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display())),
        verbosity: Verbosity::Quiet,
        build_mode: BuildMode::Release,
        optimization_passes: Some(OptimizationPasses::default()),
        ..ExecuteArgs::default()
    };
    // cargo-contract builds without default features: the second broker's
    // layout is asked for by name.
    if manifest.ends_with("broker-next/Cargo.toml") {
        args.features.push("next-layout");
    }
    let built = contract_build::execute(args)
        .unwrap_or_else(|e| panic!("building {} failed: {e}", manifest.display()));
    built
        .dest_wasm
        .unwrap_or_else(|| panic!("{} produced no Wasm", manifest.display()))
}

/// The contracts a deployment needs, by Wasm file stem.
pub const DEPLOYED: [&str; 3] = ["psp22_mock", "broker", "community"];

/// Where `scripts/build.sh` leaves the bundles: `$CARGO_TARGET_DIR/ink`.
pub fn build_sh_folder() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| PathBuf::from(dir).join("ink"))
        .unwrap_or_else(|| PathBuf::from("target/ink"))
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
