//! Builds the contracts the scenarios deploy with the `cargo-contract` that
//! `scripts/setup.sh` installed, in release mode exactly as `scripts/build.sh`
//! does (same target folders and features, so each build reuses the other's
//! cache). No second copy of cargo-contract's build library (and wasm-opt's
//! C++) is compiled into the tests.
//!
//! `P2PCLOUD_PROFILE=stable` runs the scenarios on the stable-host-functions
//! build (what Aleph Zero takes) instead of the per-call-limits one.
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

/// The contracts, by folder in the workspace. `broker`, `community` and
/// `broker-next` build their libraries too (scripts/build_contract.sh).
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
            let profile = Profile::from_env();
            CONTRACTS
                .iter()
                .flat_map(|folder| build(&workspace.join(folder), workspace, profile))
                .collect()
        })
        .clone()
}

/// The folder of this profile's built bundles (`<name>/<name>.contract`),
/// once `contract_wasm` has built them.
pub fn bundle_folder() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e-tests lives in the workspace");
    contract_wasm();
    Profile::from_env().target_dir(workspace).join("ink")
}

/// Which of `scripts/build.sh`'s two builds the scenarios run on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Token calls with their own proof-size and deposit limits (`seal2`).
    PerCallLimits,
    /// Stable host functions only (`seal1`): every chain, Aleph Zero too.
    Stable,
}

impl Profile {
    /// `P2PCLOUD_PROFILE=stable`, or per-call-limits.
    pub fn from_env() -> Self {
        match std::env::var("P2PCLOUD_PROFILE").as_deref() {
            Ok("stable") => Self::Stable,
            _ => Self::PerCallLimits,
        }
    }

    /// Where cargo-contract builds this profile, as scripts/env.sh sets it,
    /// or under the workspace's own target folder.
    fn target_dir(self, workspace: &Path) -> PathBuf {
        let (variable, default) = match self {
            Self::PerCallLimits => ("CARGO_TARGET_DIR", "target"),
            Self::Stable => ("P2PCLOUD_STABLE_TARGET", "target-stable"),
        };
        std::env::var_os(variable).map_or_else(|| workspace.join(default), PathBuf::from)
    }
}

/// Builds the contract in `folder`; returns its Wasm file, its library's
/// first for a split contract (common/src/split.rs).
fn build(folder: &Path, workspace: &Path, profile: Profile) -> Vec<PathBuf> {
    let target = profile.target_dir(workspace);
    let bundles = target.join("ink");
    // The same reproducible build as scripts/build.sh's, from its fixed folder.
    let relative = folder
        .strip_prefix(workspace)
        .expect("contracts live in the workspace");
    let mut command = Command::new("bash");
    command
        .arg(workspace.join("scripts/build_contract.sh"))
        .arg(relative)
        .args(["--release", "--quiet"])
        .env("CARGO_TARGET_DIR", &target);
    // cargo-contract builds without default features: each is asked for by
    // name, as scripts/build.sh does.
    let mut features = Vec::new();
    if folder.ends_with("broker-next") {
        features.push("next-layout");
    }
    let calls_out = ["broker", "community", "broker-next"]
        .iter()
        .any(|name| folder.ends_with(name));
    if calls_out && profile == Profile::PerCallLimits {
        features.push("per-call-limits");
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
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
    // build_contract.sh lists the bundles the build made, a split contract's
    // library first.
    let listed = bundles.join(&name).join("bundles");
    let names = std::fs::read_to_string(&listed)
        .unwrap_or_else(|e| panic!("{} was not written ({e})", listed.display()));
    names
        .lines()
        .map(|name| {
            let wasm = bundles.join(name).join(format!("{name}.wasm"));
            assert!(
                wasm.is_file(),
                "{} produced no {}",
                folder.display(),
                wasm.display()
            );
            wasm
        })
        .collect()
}
