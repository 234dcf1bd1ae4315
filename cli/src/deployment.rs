//! The deployment file: what `deploy` writes and every other command reads.
use crate::error::CliError;
use p2pcloud_client::{bundles::build_sh_folder, domain::Address};
use std::path::{Path, PathBuf};

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Deployment {
    pub stablecoin: String,
    pub community: String,
    pub broker: String,
    /// The bundles deployed, whose metadata names the events.
    #[serde(default)]
    pub bundles: Option<PathBuf>,
}

impl Deployment {
    pub fn read(path: &Path) -> Result<Self, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read the deployment file {}: {e} (deploy first, or pass --deployment)",
                path.display()
            )
        })?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a deployment file: {e}", path.display()).into())
    }

    pub fn write(&self, path: &Path) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n")
            .map_err(|e| CliError::Refused(format!("{}: {e}", path.display())))
    }

    pub fn broker(&self) -> Result<Address, CliError> {
        Ok(self.broker.parse()?)
    }

    pub fn community(&self) -> Result<Address, CliError> {
        Ok(self.community.parse()?)
    }

    /// Where the deployed bundles' metadata is: the folder deployed from,
    /// else `scripts/build.sh`'s.
    pub fn bundles_folder(&self) -> PathBuf {
        self.bundles.clone().unwrap_or_else(build_sh_folder)
    }
}
