//! Follows a chain's finalized blocks and stores each block's broker events.
//! Only finalized blocks are read, so nothing stored is ever undone by a
//! reorg. The store's mark says where to resume: a restart, or a dropped
//! connection, continues at the next block and stores nothing twice.
use crate::{
    record::{contract_event, ContractEvent},
    store::{Store, StoreError},
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    chain::{Chain, ChainError},
    domain::{Block, Metadata},
    node::NodeChain,
};
use std::time::Duration;

/// The contracts whose events are kept, and their metadata, which names and
/// prints those events (loaded by whoever runs the indexer:
/// `p2pcloud_client::bundles::metadata`).
pub struct Watched {
    pub broker: AccountId,
    pub community: AccountId,
    pub metadata: Metadata,
}

/// Every event of the broker and the community in `block`, whole.
pub fn contract_events(block: &Block, watched: &Watched) -> Vec<ContractEvent> {
    block
        .events_of(&[watched.broker, watched.community])
        .map(|(position, event)| contract_event(&watched.metadata, event, position))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowError {
    /// The chain could not be read (the node went away, say): try again.
    Source(String),
    /// The store failed.
    Store(StoreError),
}

impl std::fmt::Display for FollowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Source(why) => write!(f, "reading the chain failed: {why}"),
            Self::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FollowError {}

impl From<StoreError> for FollowError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// Where blocks come from: a node, or recorded blocks in tests.
#[allow(async_fn_in_trait)] // used with concrete sources only
pub trait Source {
    /// The number of the newest finalized block.
    async fn finalized(&mut self) -> Result<u64, FollowError>;
    /// Block `number`'s contract events.
    async fn block(&mut self, number: u64) -> Result<Block, FollowError>;
}

/// Stores every finalized block after the store's mark (from `first` on a
/// fresh store), up to the newest one; returns the last block stored.
pub async fn catch_up<S: Source>(
    source: &mut S,
    store: &Store,
    watched: &Watched,
    first: u64,
) -> Result<Option<u64>, FollowError> {
    let head = source.finalized().await?;
    let mut last = store.last_block().await?;
    let next = last.map_or(first, |block| block.saturating_add(1));
    for number in next..=head {
        let block = source.block(number).await?;
        store
            .save_block_with(
                number,
                &block.records(watched.broker),
                &contract_events(&block, watched),
            )
            .await?;
        last = Some(number);
    }
    Ok(last)
}

/// Follows `url`'s finalized chain for ever (or until block `until`),
/// polling every `every`; a failed read is reported to `on_error` and retried
/// after `every`, reconnecting.
pub async fn follow(
    url: &str,
    store: &Store,
    watched: &Watched,
    first: u64,
    until: Option<u64>,
    every: Duration,
    mut on_error: impl FnMut(&FollowError),
) -> Result<(), StoreError> {
    let mut node: Option<NodeChain> = None;
    loop {
        if node.is_none() {
            match NodeChain::connect(url, Vec::new()).await.map_err(source) {
                Ok(connected) => node = Some(connected),
                Err(error) => {
                    on_error(&error);
                    tokio::time::sleep(every).await;
                    continue;
                }
            }
        }
        let Some(source) = node.as_mut() else {
            continue;
        };
        match catch_up(source, store, watched, first).await {
            Ok(last) if reached(last, first, until) => return Ok(()),
            Ok(_) => {}
            Err(FollowError::Store(error)) => return Err(error),
            Err(error) => {
                on_error(&error);
                node = None;
            }
        }
        tokio::time::sleep(every).await;
    }
}

impl Source for NodeChain {
    async fn finalized(&mut self) -> Result<u64, FollowError> {
        self.finalized_block().await.map_err(source)
    }

    async fn block(&mut self, number: u64) -> Result<Block, FollowError> {
        Chain::block(self, number).await.map_err(source)
    }
}

fn source(error: ChainError) -> FollowError {
    FollowError::Source(error.to_string())
}

/// Whether a follower that stored up to `last` (nothing yet: `None`, so it
/// starts at `first`) has nothing left to read before `until`.
fn reached(last: Option<u64>, first: u64, until: Option<u64>) -> bool {
    let next = last.map_or(first, |block| block.saturating_add(1));
    until.is_some_and(|until| next > until)
}

#[cfg(test)]
mod tests {
    use super::reached;

    #[test]
    fn following_ends_once_nothing_is_left_before_until() {
        assert!(!reached(None, 1, None), "without until it follows for ever");
        assert!(!reached(Some(9), 1, Some(10)));
        assert!(reached(Some(10), 1, Some(10)));
        // A fresh chain whose head (0) is below the first block to read:
        // `index --once` has nothing to do and must end.
        assert!(reached(None, 1, Some(0)));
        assert!(!reached(None, 1, Some(1)));
    }
}
