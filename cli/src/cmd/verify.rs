//! `p2pcloud verify`: whether the deployed broker and community, or the code
//! an upgrade proposal would install, are builds anyone can reproduce and
//! releases the community approved. One line per contract; exit 1 when any
//! is not.
use crate::{context::Context, error::CliError};
use clap::Args;
use community::types::ProposalId;
use p2pcloud_client::{
    bundles::{build_sh_folder, stable_folder},
    domain::Hex32,
    verify::{Expected, ReleaseManifest},
};
use serde_json::json;
use std::path::PathBuf;

#[derive(Args)]
pub struct VerifyCommand {
    /// A release manifest (releases/<version>.json) to check against,
    /// instead of the local builds.
    #[arg(long, conflicts_with = "contracts")]
    release: Option<PathBuf>,
    /// Folders of local reproducible builds (default: both profiles
    /// `scripts/build.sh` leaves).
    #[arg(long)]
    contracts: Vec<PathBuf>,
    /// Check the code this upgrade proposal would install, instead of the
    /// deployed code.
    #[arg(long)]
    proposal: Option<ProposalId>,
}

impl VerifyCommand {
    /// Prints a verdict per contract; an error unless every one was verified.
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let expected = self.expected()?;
        let mut session = ctx.session().await?;
        let checks = match self.proposal {
            Some(id) => vec![session.verify_proposal(id, &expected).await?],
            None => session.verify_deployment(&expected).await?,
        };
        let rows: Vec<_> = checks
            .iter()
            .map(|check| {
                json!({
                    "subject": check.subject,
                    "code_hash": check.code_hash.map(|hash| Hex32::from(hash).to_string()),
                    "matches": check.matches,
                    "approved": check.approved,
                    "verdict": check.verdict(&expected.version),
                })
            })
            .collect();
        ctx.out.table(&rows);
        if checks.iter().all(|check| check.verified()) {
            Ok(())
        } else {
            Err("not verified: see each contract's verdict above".into())
        }
    }

    /// What the code should be: a release's hashes, or local builds'.
    fn expected(&self) -> Result<Expected, CliError> {
        let expected = match (&self.release, self.contracts.as_slice()) {
            (Some(manifest), _) => ReleaseManifest::read(manifest)?.expected()?,
            (None, []) => Expected::from_builds(&[&build_sh_folder(), &stable_folder()])?,
            (None, folders) => {
                Expected::from_builds(&folders.iter().map(|f| f.as_path()).collect::<Vec<_>>())?
            }
        };
        Ok(expected)
    }
}
