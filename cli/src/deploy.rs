//! `p2pcloud deploy`: the protocol on a chain, and the deployment file every
//! other command reads.
use crate::{
    args::{DeployArgs, Global},
    connect,
    output::Output,
    signer,
};
use community::types::{VotingRules, Weight};
use ink::primitives::AccountId;
use p2pcloud_client::units::parse_duration_ms;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm, stable_folder},
    chain::{Chain, WasmFiles},
    compat::{self, Runtime},
    events::{parse_account, ss58},
    protocol::Protocol,
};
use serde_json::json;
use std::path::PathBuf;

/// What `deploy` writes and every other command reads.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Deployment {
    pub stablecoin: String,
    pub community: String,
    pub broker: String,
    /// The bundles deployed, whose metadata names the events.
    #[serde(default)]
    pub bundles: Option<PathBuf>,
}

/// The deployment file named by `--deployment`.
pub fn read_deployment(global: &Global) -> Result<Deployment, String> {
    let text = std::fs::read_to_string(&global.deployment).map_err(|e| {
        format!(
            "cannot read the deployment file {}: {e} (deploy first, or pass --deployment)",
            global.deployment.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not a deployment file: {e}",
            global.deployment.display()
        )
    })
}

pub fn parse_member(text: &str) -> Result<(AccountId, Weight), String> {
    let (account, weight) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("{text}: write a member as ADDRESS:WEIGHT"))?;
    let weight = weight
        .parse()
        .map_err(|_| format!("{text}: the weight {weight:?} is not a whole number"))?;
    Ok((parse_account(account)?, weight))
}

pub async fn deploy(global: &Global, args: DeployArgs, out: &Output) -> Result<(), String> {
    if global.dry_run {
        return Err(
            "deploy cannot be simulated: it uploads and instantiates in steps that \
                    depend on each other"
                .into(),
        );
    }
    let deployer = signer(global)?;
    let members = args
        .members
        .iter()
        .map(|text| parse_member(text))
        .collect::<Result<Vec<_>, _>>()?;
    let rules = VotingRules {
        quorum_bps: args.quorum_bps,
        voting_period: parse_duration_ms(&args.voting_period)?,
        execution_period: parse_duration_ms(&args.execution_period)?,
    };
    let folders = match &args.contracts {
        Some(folder) => vec![folder.clone()],
        None => vec![build_sh_folder(), stable_folder()],
    };
    let mut needed = vec!["broker", "community"];
    if args.stablecoin.is_none() {
        needed.push("psp22_mock");
    }
    let chain = connect(global, built_wasm(&folders[0])?).await?;
    let runtime = chain.runtime().await.map_err(|e| e.to_string())?;
    let (folder, notes) = accepted_bundles(&runtime, &folders, &needed, args.unlisted_chain)?;
    out.note(&format!(
        "chain: {}; deploying the bundles in {}",
        runtime.describe(),
        folder.display()
    ));
    for note in notes {
        out.note(&format!("note: {note}"));
    }
    let mut chain = chain
        .with_wasm_files(built_wasm(&folder)?)
        .accept_unlisted_chain(args.unlisted_chain);
    let stablecoin = match &args.stablecoin {
        Some(address) => parse_account(address)?,
        None => {
            let mut constructor =
                psp22_mock::Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
            chain
                .instantiate("psp22-mock", &deployer, &mut constructor)
                .await
                .map_err(|e| format!("psp22-mock not deployed: {e}"))?
                .value
        }
    };
    let protocol = Protocol::deploy_for(&mut chain, &deployer, members, rules, stablecoin)
        .await
        .map_err(|e| format!("deployment failed: {e}"))?;
    let deployment = Deployment {
        stablecoin: ss58(&stablecoin),
        community: ss58(&protocol.community_id),
        broker: ss58(&protocol.broker_id),
        bundles: std::fs::canonicalize(&folder).ok(),
    };
    let text = serde_json::to_string_pretty(&deployment).map_err(|e| e.to_string())?;
    std::fs::write(&global.deployment, text + "\n")
        .map_err(|e| format!("{}: {e}", global.deployment.display()))?;
    out.record(&json!({
        "stablecoin": deployment.stablecoin,
        "community": deployment.community,
        "broker": deployment.broker,
        "deployment_file": global.deployment.display().to_string(),
        "bundles": folder.display().to_string(),
        "runtime": {
            "spec_name": runtime.spec_name,
            "spec_version": runtime.spec_version,
        },
    }));
    Ok(())
}

/// The first of `folders` whose `contracts` the chain accepts, with the
/// check's notes; or, before anything is paid, why it refuses each.
fn accepted_bundles(
    runtime: &Runtime,
    folders: &[PathBuf],
    contracts: &[&str],
    unlisted_ok: bool,
) -> Result<(PathBuf, Vec<String>), String> {
    let mut refusals = Vec::new();
    for folder in folders {
        let code = match WasmFiles::new(built_wasm(folder)?).code_of(contracts) {
            Ok(code) => code,
            Err(error) => {
                refusals.push(format!("{}: {error}", folder.display()));
                continue;
            }
        };
        match compat::verdict_for(runtime, unlisted_ok, &code) {
            Ok(notes) => return Ok((folder.clone(), notes)),
            Err(why) => refusals.push(format!("{}: {why}", folder.display())),
        }
    }
    Err(refusals.join("\n"))
}
