//! `p2pcloud index`: the broker's and the community's events from the
//! node's finalized blocks into the event store.
use crate::{context::Context, error::CliError};
use clap::Args;
use p2pcloud_client::{bundles, chain::Chain, domain::Duration, node::NodeChain};
use p2pcloud_indexer::follow::{follow, Watched};

#[derive(Args)]
pub struct IndexCommand {
    /// The first block to read on a fresh index.
    #[arg(long, default_value_t = 1)]
    from_block: u64,
    /// Stop once this block is indexed (default: follow for ever).
    #[arg(long, conflicts_with = "once")]
    until: Option<u64>,
    /// Index what is finalized now, then stop.
    #[arg(long)]
    once: bool,
    /// How often to look for newly finalized blocks.
    #[arg(long, default_value = "6s")]
    every: Duration,
}

impl IndexCommand {
    /// Follows the node's finalized chain into the store, saying what it did.
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let until = if self.once {
            let mut node = NodeChain::connect(&ctx.global.url, Vec::new()).await?;
            Some(node.finalized_block().await?)
        } else {
            self.until
        };
        let deployment = ctx.deployment()?;
        let watched = Watched {
            broker: deployment.broker()?.0,
            community: deployment.community()?.0,
            metadata: bundles::metadata(&deployment.bundles_folder()),
        };
        let store = ctx.store().await?;
        if let Some(last) = store.last_block().await? {
            eprintln!("p2pcloud: resuming after block {last}");
        }
        follow(
            &ctx.global.url,
            &store,
            &watched,
            self.from_block,
            until,
            std::time::Duration::from_millis(self.every.ms()),
            |error| eprintln!("p2pcloud: {error}; trying again"),
        )
        .await?;
        let last = store.last_block().await?;
        let count = store.count().await?;
        eprintln!(
            "p2pcloud: indexed up to block {}, {count} events stored",
            last.unwrap_or_default()
        );
        Ok(())
    }
}
