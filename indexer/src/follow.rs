//! Follows a chain's finalized blocks and stores each block's broker events.
//! Only finalized blocks are read, so nothing stored is ever undone by a
//! reorg. The store's mark says where to resume: a restart, or a dropped
//! connection, continues at the next block and stores nothing twice.
use crate::{
    record::{contract_event, record_of, ContractEvent, Position, Record},
    store::{Store, StoreError},
};
use ink::primitives::AccountId;
use p2pcloud_client::{chain::Emitted, node::contract_emitted};
use std::time::Duration;
use subxt::{
    backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
    events::Phase,
    OnlineClient, PolkadotConfig,
};

/// One block's contract events, in the block's event order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub number: u64,
    /// Milliseconds.
    pub time: u64,
    /// Each contract event with its index among the block's events and the
    /// extrinsic that emitted it.
    pub events: Vec<(u32, Option<u32>, Emitted)>,
}

/// The contracts whose events are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watched {
    pub broker: AccountId,
    pub community: AccountId,
}

impl Block {
    fn position(&self, event_index: u32, extrinsic_index: Option<u32>) -> Position {
        Position {
            block_number: self.number,
            block_time: self.time,
            event_index,
            extrinsic_index,
        }
    }

    /// The records of the broker's payments, stops and complaints.
    pub fn records(&self, watched: &Watched) -> Vec<Record> {
        self.events
            .iter()
            .filter(|(_, _, event)| event.contract == watched.broker)
            .filter_map(|(event_index, extrinsic, event)| {
                record_of(event, self.position(*event_index, *extrinsic))
            })
            .collect()
    }

    /// Every event of the broker and the community, whole.
    pub fn contract_events(&self, watched: &Watched) -> Vec<ContractEvent> {
        self.events
            .iter()
            .filter(|(_, _, event)| [watched.broker, watched.community].contains(&event.contract))
            .map(|(event_index, extrinsic, event)| {
                contract_event(event, self.position(*event_index, *extrinsic))
            })
            .collect()
    }
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
                &block.records(watched),
                &block.contract_events(watched),
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
    let mut node: Option<Node> = None;
    loop {
        if node.is_none() {
            match Node::connect(url).await {
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
            Ok(last) if until.is_some_and(|until| last.is_some_and(|last| last >= until)) => {
                return Ok(())
            }
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

/// A node over RPC.
pub struct Node {
    api: OnlineClient<PolkadotConfig>,
    rpc: LegacyRpcMethods<PolkadotConfig>,
}

fn source(error: impl std::fmt::Display) -> FollowError {
    FollowError::Source(error.to_string())
}

impl Node {
    pub async fn connect(url: &str) -> Result<Self, FollowError> {
        let rpc = RpcClient::from_url(url).await.map_err(source)?;
        let api = OnlineClient::from_rpc_client(rpc.clone())
            .await
            .map_err(source)?;
        Ok(Self {
            api,
            rpc: LegacyRpcMethods::new(rpc),
        })
    }
}

impl Source for Node {
    async fn finalized(&mut self) -> Result<u64, FollowError> {
        let hash = self.rpc.chain_get_finalized_head().await.map_err(source)?;
        let header = self
            .rpc
            .chain_get_header(Some(hash))
            .await
            .map_err(source)?
            .ok_or_else(|| source("the finalized head has no header"))?;
        Ok(u64::from(header.number))
    }

    async fn block(&mut self, number: u64) -> Result<Block, FollowError> {
        let hash = self
            .rpc
            .chain_get_block_hash(Some(number.into()))
            .await
            .map_err(source)?
            .ok_or_else(|| source(format!("the node has no block {number}")))?;
        let time = self
            .api
            .storage()
            .at(hash)
            .fetch(&subxt::dynamic::storage("Timestamp", "Now", ()))
            .await
            .map_err(source)?
            .map(|value| value.as_type::<u64>())
            .transpose()
            .map_err(source)?
            .unwrap_or_default();
        let all = self.api.events().at(hash).await.map_err(source)?;
        let mut events = Vec::new();
        for event in all.iter() {
            let event = event.map_err(source)?;
            let Some(emitted) = contract_emitted(&event).map_err(source)? else {
                continue;
            };
            let extrinsic = match event.phase() {
                Phase::ApplyExtrinsic(index) => Some(index),
                _ => None,
            };
            events.push((event.index(), extrinsic, emitted));
        }
        Ok(Block {
            number,
            time,
            events,
        })
    }
}
