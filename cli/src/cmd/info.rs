//! `p2pcloud info` and `miner-url`: the protocol's settings, and where a
//! miner says its VMs are reached.
use crate::{context::Context, error::CliError, error::NotDone};
use clap::Args;
use p2pcloud_client::{
    domain::{ss58, Address},
    sdk::P2pCloud,
};
use serde_json::json;

#[derive(Args)]
pub struct InfoCommand {}

impl InfoCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(false).await?;
        let now = session.now().await?;
        ctx.out.record(&json!({
            "broker": ss58(&session.protocol.broker_id),
            "community": ss58(&session.community_contract().await?),
            "stablecoin": ss58(&token.address),
            "symbol": token.symbol,
            "decimals": token.decimals,
            "community_fee_bps": session.community_fee_bps().await?,
            "chain_time_ms": now,
        }));
        Ok(())
    }
}

#[derive(Args)]
pub struct MinerUrlCommand {
    #[arg(long)]
    set: Option<String>,
    miner: Option<Address>,
}

impl MinerUrlCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, _) = ctx.market(self.set.is_some()).await?;
        match &self.set {
            Some(url) => {
                let sent = session
                    .set_miner_url(url.clone())
                    .await
                    .not_done("miner URL not set")?;
                ctx.sent(&sent, json!({ "url": url }));
            }
            None => {
                let miner = ctx.account_or_own(&session, self.miner)?;
                let url = session.miner_url(miner).await?;
                ctx.out
                    .record(&json!({ "miner": ss58(&miner), "url": url }));
            }
        }
        Ok(())
    }
}
