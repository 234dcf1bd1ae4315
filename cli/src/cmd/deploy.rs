//! `p2pcloud deploy`: the protocol on a chain, and the deployment file every
//! other command reads.
use crate::{
    context::Context, deployment::Deployment, error::CliError, error::NotDone, values::Member,
};
use clap::Args;
use community::types::VotingRules;
use p2pcloud_client::{
    bundles::{build_sh_folder, built_wasm, stable_folder, PROTOCOL},
    chain::{Chain, Keypair, WasmFiles},
    compat::{self, Runtime},
    domain::{ss58, Address, Duration},
    node::NodeChain,
    protocol::Protocol,
};
use serde_json::json;
use std::path::PathBuf;

#[derive(Args)]
pub struct DeployCommand {
    /// An existing PSP22 stablecoin.
    #[arg(
        long,
        conflicts_with = "mock_stablecoin",
        required_unless_present = "mock_stablecoin"
    )]
    stablecoin: Option<Address>,
    /// Deploy psp22-mock (6 decimals, open mint) as the stablecoin: test chains only.
    #[arg(long)]
    mock_stablecoin: bool,
    /// A founding member as ADDRESS:WEIGHT (repeat it).
    #[arg(long = "member", required = true)]
    members: Vec<Member>,
    /// The quorum in basis points of the total weight.
    #[arg(long, default_value_t = 5_000)]
    quorum_bps: u16,
    #[arg(long, default_value = "7d")]
    voting_period: Duration,
    #[arg(long, default_value = "7d")]
    execution_period: Duration,
    /// The folder of built bundles (`scripts/build.sh` output). By default
    /// the per-call-limits build if the chain takes it, else the stable one
    /// (which Aleph Zero takes: docs/DEPLOY.md#chains).
    #[arg(long)]
    contracts: Option<PathBuf>,
    /// Deploy to a runtime that has no table in chains/: its code length,
    /// memory and Wasm features are still checked, its host functions not.
    #[arg(long)]
    unlisted_chain: bool,
}

impl DeployCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        if ctx.global.dry_run {
            return Err(
                "deploy cannot be simulated: it uploads and instantiates in steps \
                        that depend on each other"
                    .into(),
            );
        }
        let deployer = ctx.signer()?;
        let (mut chain, runtime, folder) = self.checked_chain(ctx).await?;
        let stablecoin = match self.stablecoin {
            Some(address) => address.0,
            None => deploy_mock_stablecoin(&mut chain, &deployer).await?,
        };
        let members = self
            .members
            .iter()
            .map(|member| (member.address.0, member.weight))
            .collect();
        let rules = VotingRules {
            quorum_bps: self.quorum_bps,
            voting_period: self.voting_period.ms(),
            execution_period: self.execution_period.ms(),
        };
        let protocol = Protocol::deploy_for(&mut chain, &deployer, members, rules, stablecoin)
            .await
            .not_done("deployment failed")?;
        let deployment = Deployment {
            stablecoin: ss58(&stablecoin),
            community: ss58(&protocol.community_id),
            broker: ss58(&protocol.broker_id),
            bundles: std::fs::canonicalize(&folder).ok(),
        };
        deployment.write(&ctx.global.deployment)?;
        ctx.out.record(&json!({
            "stablecoin": deployment.stablecoin,
            "community": deployment.community,
            "broker": deployment.broker,
            "deployment_file": ctx.global.deployment.display().to_string(),
            "bundles": folder.display().to_string(),
            "runtime": {
                "spec_name": runtime.spec_name,
                "spec_version": runtime.spec_version,
            },
        }));
        Ok(())
    }

    /// The node, with the bundles its runtime accepts (checked before
    /// anything is paid), the runtime and the bundles' folder.
    async fn checked_chain(
        &self,
        ctx: &Context,
    ) -> Result<(NodeChain, Runtime, PathBuf), CliError> {
        let folders = match &self.contracts {
            Some(folder) => vec![folder.clone()],
            None => vec![build_sh_folder(), stable_folder()],
        };
        let mut needed = PROTOCOL.to_vec();
        if self.stablecoin.is_none() {
            needed.push("psp22_mock");
        }
        let chain = ctx.connect(built_wasm(&folders[0])?).await?;
        let runtime = chain.runtime().await?;
        let (folder, notes) = accepted_bundles(&runtime, &folders, &needed, self.unlisted_chain)?;
        ctx.out.note(&format!(
            "chain: {}; deploying the bundles in {}",
            runtime.describe(),
            folder.display()
        ));
        for note in notes {
            ctx.out.note(&format!("note: {note}"));
        }
        let chain = chain
            .with_wasm_files(built_wasm(&folder)?)
            .accept_unlisted_chain(self.unlisted_chain);
        Ok((chain, runtime, folder))
    }
}

/// psp22-mock as the stablecoin, for test chains.
async fn deploy_mock_stablecoin(
    chain: &mut NodeChain,
    deployer: &Keypair,
) -> Result<ink::primitives::AccountId, CliError> {
    let mut constructor =
        psp22_mock::Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
    let deployed = chain
        .instantiate("psp22-mock", deployer, &mut constructor)
        .await
        .not_done("psp22-mock not deployed")?;
    Ok(deployed.value)
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
