//! `p2pcloud events` and `log`: what happened, from the event store or the
//! node's blocks.
use crate::{context::Context, error::CliError};
use clap::Args;
use p2pcloud_client::{
    domain::{Address, EventKind, StopReason},
    sdk::P2pCloud,
};
use p2pcloud_indexer::{
    api::{events_page, EventAnswer, EventQuery},
    page::{Cursor, PageLimit},
};

#[derive(Args)]
pub struct EventsCommand {
    /// payment, complaint or stop.
    #[arg(long)]
    kind: Option<EventKind>,
    #[arg(long)]
    user: Option<Address>,
    #[arg(long)]
    miner: Option<Address>,
    /// A stop reason: ok, misbehaviour, terminated, non-payment, community.
    #[arg(long)]
    reason: Option<StopReason>,
    #[arg(long)]
    from_block: Option<u64>,
    #[arg(long)]
    to_block: Option<u64>,
    /// Continue after this event: the `next` of the previous page (BLOCK:EVENT).
    #[arg(long)]
    after: Option<Cursor>,
    /// At most this many events (1 to 1000).
    #[arg(long, default_value = "100")]
    limit: PageLimit,
    /// Read the node's blocks instead of the index (no `p2pcloud index`
    /// needed): the last 10 000 blocks unless --from-block says otherwise,
    /// and at most 10 000 at once.
    #[arg(long)]
    chain: bool,
}

impl EventsCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        if self.chain {
            return self.read_chain(ctx).await;
        }
        let store = ctx.store().await?;
        let page = events_page(&store, &self.query()).await?;
        ctx.out.answers(&page.events);
        if let Some(next) = page.next {
            eprintln!("p2pcloud: more after {next} (pass --after {next})");
        }
        Ok(())
    }

    fn query(&self) -> EventQuery {
        EventQuery {
            kind: self.kind,
            user: self.user,
            miner: self.miner,
            reason: self.reason,
            from_block: self.from_block,
            to_block: self.to_block,
            after: self.after,
            limit: self.limit,
        }
    }

    /// The events wanted, read from the node's blocks through the SDK (no
    /// index needed; at most `MAX_SCANNED_BLOCKS` blocks).
    async fn read_chain(&self, ctx: &Context) -> Result<(), CliError> {
        let filter = self.query().filter()?;
        if self.after.is_some() {
            return Err("--after pages the index; with --chain, narrow the blocks instead".into());
        }
        let mut session = ctx.session().await?;
        let records = session.broker_events(&filter).await?;
        let shown = records.len().min(self.limit.get() as usize);
        let rows: Vec<EventAnswer> = records[..shown].iter().map(EventAnswer::from).collect();
        ctx.out.answers(&rows);
        if records.len() > shown {
            eprintln!(
                "p2pcloud: {} more; raise --limit or narrow the blocks",
                records.len() - shown
            );
        }
        Ok(())
    }
}

#[derive(Args)]
pub struct LogCommand {
    /// Only events with this name, such as ProposalCreated.
    #[arg(long)]
    name: Option<String>,
    /// At most this many (1 to 1000).
    #[arg(long, default_value = "100")]
    limit: PageLimit,
}

impl LogCommand {
    /// Every stored event of the broker and the community (named `name`, if
    /// given), oldest first, as the contracts' metadata prints them.
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let community = ctx.deployment()?.community()?.0;
        let store = ctx.store().await?;
        let events = store
            .contract_events(self.name.as_deref(), self.limit)
            .await?;
        let rows: Vec<serde_json::Value> = events
            .iter()
            .map(|(contract, name, text)| {
                let role = if *contract == community {
                    "community"
                } else {
                    "broker"
                };
                serde_json::json!({ "contract": role, "name": name, "event": text })
            })
            .collect();
        ctx.out.table(&rows);
        Ok(())
    }
}
