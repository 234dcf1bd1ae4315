//! The queries people and programs ask, in one place for the CLI and the
//! HTTP API: their text parameters read into a filter (or refused with a
//! sentence) and their answers as JSON.
use crate::{
    reputation::{reputation, Reputation, Weights},
    search::{search, Catalogue, Match, Order, Query},
    store::{Cursor, Store},
};
use broker::types::{Offer, OfferId};
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{ss58, Address, EventKind, StopReason},
    history::{Filter, Record},
};
use serde::Deserialize;
use serde_json::{json, Value};

/// Why a query has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A parameter is wrong; the sentence says which and why.
    BadQuery(String),
    /// The store failed.
    Failed(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadQuery(why) | Self::Failed(why) => f.write_str(why),
        }
    }
}

fn failed(error: impl std::fmt::Display) -> ApiError {
    ApiError::Failed(error.to_string())
}

/// An events query as text, the way a command line or a URL gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventQuery {
    /// `payment`, `complaint` or `stop`.
    pub kind: Option<String>,
    pub user: Option<String>,
    pub miner: Option<String>,
    /// `ok`, `misbehaviour`, `terminated`, `non-payment` or `community`.
    pub reason: Option<String>,
    pub from_block: Option<String>,
    pub to_block: Option<String>,
    /// `BLOCK:EVENT`: the `next` of the previous page.
    pub after: Option<String>,
    /// 1 to 1000; 100 if not given.
    pub limit: Option<String>,
}

/// A search query as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SearchQuery {
    pub min_cpu: Option<String>,
    pub min_ram_gb: Option<String>,
    pub min_disk_gb: Option<String>,
    pub disk_speed: Option<String>,
    pub min_network_mbps: Option<String>,
    pub region: Option<String>,
    /// The most per second, in the token's smallest units.
    pub max_price: Option<String>,
    /// `price` (the default) or `reputation`.
    pub sort: Option<String>,
}

/// The whole number a parameter gives, if it is given.
fn number<T: std::str::FromStr>(name: &str, text: &Option<String>) -> Result<Option<T>, String> {
    text.as_deref()
        .map(|text| {
            text.parse()
                .map_err(|_| format!("{name} {text:?} is not a whole number"))
        })
        .transpose()
}

/// `BLOCK:EVENT`.
pub fn parse_cursor(text: &str) -> Result<Cursor, String> {
    let bad = || format!("{text:?} is not a position: write it as BLOCK:EVENT, like 120:4");
    let (block, event) = text.split_once(':').ok_or_else(bad)?;
    Ok((
        block.parse().map_err(|_| bad())?,
        event.parse().map_err(|_| bad())?,
    ))
}

impl EventQuery {
    /// The filter, the position to continue after and the page size, or
    /// which parameter is wrong.
    pub fn read(&self) -> Result<(Filter, Option<Cursor>, u32), String> {
        fn parsed<T: std::str::FromStr>(text: &Option<String>) -> Result<Option<T>, String>
        where
            T::Err: std::fmt::Display,
        {
            text.as_deref()
                .map(|text| text.parse().map_err(|e: T::Err| e.to_string()))
                .transpose()
        }
        let account = |text| parsed::<Address>(text).map(|address| address.map(AccountId::from));
        let filter = Filter {
            kind: parsed::<EventKind>(&self.kind)?,
            user: account(&self.user)?,
            miner: account(&self.miner)?,
            reason: parsed::<StopReason>(&self.reason)?,
            from_block: number("from_block", &self.from_block)?,
            to_block: number("to_block", &self.to_block)?,
        };
        filter.check().map_err(|error| error.to_string())?;
        let after = self.after.as_deref().map(parse_cursor).transpose()?;
        let limit = number("limit", &self.limit)?.unwrap_or(100);
        if !(1..=crate::store::MAX_PAGE).contains(&limit) {
            return Err(format!(
                "limit {limit} is not from 1 to {}",
                crate::store::MAX_PAGE
            ));
        }
        Ok((filter, after, limit))
    }
}

impl SearchQuery {
    pub fn read(&self) -> Result<(Query, Order), String> {
        let order = match self.sort.as_deref() {
            None | Some("price") => Order::Price,
            Some("reputation") => Order::Reputation,
            Some(other) => return Err(format!("{other:?} is not an order: price or reputation")),
        };
        Ok((
            Query {
                min_cpu: number("min_cpu", &self.min_cpu)?,
                min_ram_gb: number("min_ram_gb", &self.min_ram_gb)?,
                min_disk_gb: number("min_disk_gb", &self.min_disk_gb)?,
                disk_speed: self.disk_speed.clone(),
                min_network_mbps: number("min_network_mbps", &self.min_network_mbps)?,
                region: self.region.clone(),
                max_price_per_second: number("max_price", &self.max_price)?,
            },
            order,
        ))
    }
}

/// One event as JSON.
pub fn event_json(record: &Record) -> Value {
    json!({
        "block": record.position.block_number,
        "event": record.position.event_index,
        "extrinsic": record.position.extrinsic_index,
        "time_ms": record.position.block_time,
        "kind": record.kind.to_string(),
        "booking": record.booking_id,
        "user": ss58(&record.user),
        "miner": ss58(&record.miner),
        "reason": record.reason.map(|reason| reason.to_string()),
        "seconds": record.seconds,
        "amount_units": record.amount.to_string(),
    })
}

/// A page of events: `{"events": [...], "next": "BLOCK:EVENT" or null}`.
pub async fn events_page(store: &Store, query: &EventQuery) -> Result<Value, ApiError> {
    let (filter, after, limit) = query.read().map_err(ApiError::BadQuery)?;
    let page = store.query(&filter, after, limit).await.map_err(failed)?;
    Ok(json!({
        "events": page.records.iter().map(event_json).collect::<Vec<_>>(),
        "next": page.next.map(|(block, event)| format!("{block}:{event}")),
    }))
}

/// A miner's reputation now.
pub async fn miner_reputation(
    store: &Store,
    miner: AccountId,
    now: u64,
) -> Result<Reputation, ApiError> {
    let history = store.miner_history(&miner).await.map_err(failed)?;
    Ok(reputation(miner, &history, now, &Weights::default()))
}

pub fn reputation_json(report: &Reputation) -> Value {
    let stops: serde_json::Map<String, Value> = report
        .stops_by_reason
        .iter()
        .map(|(reason, count)| (reason.to_string(), json!(count)))
        .collect();
    json!({
        "miner": ss58(&report.miner),
        "score": (report.score * 1000.0).round() / 1000.0,
        "seconds_served": report.seconds_served,
        "earned_units": report.earned.to_string(),
        "distinct_users": report.distinct_users,
        "complaints": report.complaints,
        "stops_by_reason": stops,
    })
}

/// The offers that fit `query`, each with its spec and its miner's score.
pub async fn search_offers(
    store: &Store,
    offers: &[(OfferId, Offer)],
    catalogue: &Catalogue,
    query: &SearchQuery,
    now: u64,
) -> Result<Value, ApiError> {
    let (query, order) = query.read().map_err(ApiError::BadQuery)?;
    let mut scores = std::collections::BTreeMap::new();
    let miners: std::collections::BTreeSet<AccountId> =
        offers.iter().map(|(_, offer)| offer.miner).collect();
    for miner in miners {
        let report = miner_reputation(store, miner, now).await?;
        scores.insert(miner, report.score);
    }
    let matches = search(offers, catalogue, &query, order, |offer| {
        scores.get(&offer.miner).copied().unwrap_or(0.5)
    });
    Ok(json!({ "offers": matches.iter().map(match_json).collect::<Vec<_>>() }))
}

fn match_json(found: &Match) -> Value {
    json!({
        "offer": found.offer_id,
        "miner": ss58(&found.offer.miner),
        "vm_type": found.offer.vm_type_id,
        "name": found.spec.name,
        "cpu": found.spec.cpu,
        "ram_gb": found.spec.ram_gb,
        "disk_gb": found.spec.disk_gb,
        "disk_speed": found.spec.disk_speed,
        "network_mbps": found.spec.network_mbps,
        "region": found.spec.region,
        "price_per_second_units": found.offer.price_per_second.to_string(),
        "free_machines": found.offer.machines.saturating_sub(found.offer.booked),
        "score": (found.score * 1000.0).round() / 1000.0,
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}
