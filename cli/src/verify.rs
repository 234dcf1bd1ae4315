//! `p2pcloud verify`: whether the deployed broker and community, or the code
//! an upgrade proposal would install, are builds anyone can reproduce and
//! releases the community approved. One line per contract; exit 1 when any
//! is not.
use crate::{args::VerifyArgs, output::Output, say, session};
use p2pcloud_client::{
    bundles::{build_sh_folder, stable_folder},
    events::hex_bytes,
    verify::{Expected, ReleaseManifest},
};
use serde_json::json;

/// Prints a verdict per contract; answers whether every one was verified.
pub async fn verify(
    global: &crate::args::Global,
    args: VerifyArgs,
    out: &Output,
) -> Result<bool, String> {
    let expected = match (&args.release, args.contracts.as_slice()) {
        (Some(manifest), _) => ReleaseManifest::read(manifest)?.expected()?,
        (None, []) => Expected::from_builds(&[&build_sh_folder(), &stable_folder()])?,
        (None, folders) => {
            Expected::from_builds(&folders.iter().map(|f| f.as_path()).collect::<Vec<_>>())?
        }
    };
    let mut session = session(global).await?;
    let checks = match args.proposal {
        Some(id) => vec![session.verify_proposal(id, &expected).await.map_err(say)?],
        None => session.verify_deployment(&expected).await.map_err(say)?,
    };
    let rows: Vec<_> = checks
        .iter()
        .map(|check| {
            json!({
                "subject": check.subject,
                "code_hash": check.code_hash.map(|hash| hex_bytes(hash.as_ref())),
                "matches": check.matches,
                "approved": check.approved,
                "verdict": check.verdict(&expected.version),
            })
        })
        .collect();
    out.table(&rows);
    Ok(checks.iter().all(|check| check.verified()))
}
