//! `p2pcloud reputation`: a miner's reputation from the event store.
use crate::{context::Context, error::CliError};
use clap::Args;
use p2pcloud_client::domain::Address;
use p2pcloud_indexer::api::{miner_reputation, now_ms, ReputationAnswer};

#[derive(Args)]
pub struct ReputationCommand {
    miner: Address,
}

impl ReputationCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let store = ctx.store().await?;
        let report = miner_reputation(&store, self.miner.0, now_ms()).await?;
        ctx.out.answer(&ReputationAnswer::from(&report));
        Ok(())
    }
}
