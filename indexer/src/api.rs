//! The queries people and programs ask, in one place for the CLI and the
//! HTTP API: typed queries (read from a query string, or filled in by the
//! CLI) and typed answers that serialize to the API's JSON and back.
mod answer;

pub use crate::search::SearchQuery;
pub use answer::{
    ErrorAnswer, EventAnswer, EventsPage, OfferMatch, OffersAnswer, ReputationAnswer,
};

use crate::{
    as_text,
    page::{Cursor, PageLimit},
    reputation::{reputation, Reputation, Weights},
    search::{search, Catalogue},
    store::{Store, StoreError},
    whole_number,
};
use broker::types::{Offer, OfferId};
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{Address, EventKind, StopReason},
    history::{Filter, FilterError},
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// Why a query has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A parameter is wrong; the sentence says which and why.
    BadQuery(String),
    /// The store failed.
    Store(StoreError),
    /// Something else the answer needs failed (the node, for a balance).
    Failed(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadQuery(why) | Self::Failed(why) => f.write_str(why),
            Self::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl From<FilterError> for ApiError {
    fn from(error: FilterError) -> Self {
        Self::BadQuery(error.to_string())
    }
}

/// `GET /events`'s parameters: which events, and which page of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventQuery {
    #[serde(default, with = "as_text::option")]
    pub kind: Option<EventKind>,
    #[serde(default, with = "as_text::option")]
    pub user: Option<Address>,
    #[serde(default, with = "as_text::option")]
    pub miner: Option<Address>,
    #[serde(default, with = "as_text::option")]
    pub reason: Option<StopReason>,
    #[serde(default, deserialize_with = "whole_number::from_block")]
    pub from_block: Option<u64>,
    #[serde(default, deserialize_with = "whole_number::to_block")]
    pub to_block: Option<u64>,
    /// The `next` of the previous page.
    #[serde(default, with = "as_text::option")]
    pub after: Option<Cursor>,
    #[serde(default, with = "as_text")]
    pub limit: PageLimit,
}

impl EventQuery {
    /// The filter this query asks for, or why it could only ever want nothing.
    pub fn filter(&self) -> Result<Filter, FilterError> {
        let filter = Filter {
            kind: self.kind,
            user: self.user.map(AccountId::from),
            miner: self.miner.map(AccountId::from),
            reason: self.reason,
            from_block: self.from_block,
            to_block: self.to_block,
        };
        filter.check()?;
        Ok(filter)
    }
}

/// A page of the stored events `query` wants.
pub async fn events_page(store: &Store, query: &EventQuery) -> Result<EventsPage, ApiError> {
    let page = store
        .query(&query.filter()?, query.after, query.limit)
        .await?;
    Ok(EventsPage::from(&page))
}

/// A miner's reputation at `now` (milliseconds).
pub async fn miner_reputation(
    store: &Store,
    miner: AccountId,
    now: u64,
) -> Result<Reputation, ApiError> {
    let history = store.miner_history(&miner).await?;
    Ok(reputation(miner, &history, now, &Weights::default()))
}

/// The offers that fit `query`, each with its spec and its miner's score at
/// `now`.
pub async fn search_offers(
    store: &Store,
    offers: &[(OfferId, Offer)],
    catalogue: &Catalogue,
    query: &SearchQuery,
    now: u64,
) -> Result<OffersAnswer, ApiError> {
    let miners: BTreeSet<AccountId> = offers.iter().map(|(_, offer)| offer.miner).collect();
    let mut scores = BTreeMap::new();
    for miner in miners {
        let report = miner_reputation(store, miner, now).await?;
        scores.insert(miner, report.score);
    }
    let matches = search(offers, catalogue, query, |offer| {
        scores.get(&offer.miner).copied().unwrap_or(0.5)
    });
    Ok(OffersAnswer {
        offers: matches.iter().map(OfferMatch::from).collect(),
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}
