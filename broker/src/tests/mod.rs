//! Unit tests of the env-free broker core: every rule and failure path of
//! DESIGN.md, with an in-memory token ledger. Each file tests one concern of
//! a rule file; the helpers here serve them all.
use crate::{
    data::Events,
    events::*,
    memory::{account, broker_account, community_account, World},
    types::*,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{testing::TokenBehaviour, BrokerError, Page, MAX_PAGE_LIMIT};

use p2pcloud_common::testing::START;
const SPECS: [u8; 32] = [7; 32];
/// The most a test user accepts to pay when the price is not what it tests.
const ANY_PRICE: Balance = Balance::MAX;

fn miner() -> AccountId {
    account(1)
}
fn user() -> AccountId {
    account(2)
}
fn stranger() -> AccountId {
    account(3)
}
fn community() -> AccountId {
    community_account()
}

/// A world with one offer of `machines` machines at `price` by `miner()`.
fn with_offer(price: Balance, machines: u32) -> (World, OfferId) {
    let mut world = World::new(START);
    let (offer_id, _) = world
        .broker
        .add_offer(miner(), 1, price, machines, SPECS)
        .expect("offer");
    (world, offer_id)
}

/// Enough to book bookings costing `pps` in total for a week.
fn week_of(pps: Balance) -> Balance {
    pps * WEEK_SECONDS
}

/// `(free, locked)` of `account` now.
fn free_locked(world: &World, account: AccountId) -> (Balance, Balance) {
    let report = world.broker.check_balance(account, world.now).unwrap();
    (report.free, report.locked)
}

fn book(world: &mut World, user: AccountId, offer_id: OfferId) -> BookingId {
    world
        .broker
        .book_vm(user, offer_id, ANY_PRICE, world.now)
        .expect("book")
        .0
}

/// Runs an operation that must fail with `error` and change nothing at all.
fn assert_refused<T: core::fmt::Debug>(
    world: &mut World,
    error: BrokerError,
    operation: impl FnOnce(&mut World) -> Result<T, BrokerError>,
) {
    let before = world.clone();
    assert_eq!(operation(world).unwrap_err(), error);
    assert_eq!(*world, before, "a failed operation changed state");
}

/// The ids of a page's items, in order.
fn ids<T>(page: &Page<u64, T>) -> Vec<u64> {
    page.items.iter().map(|(id, _)| *id).collect()
}

/// Every payout: the `MinerPayout`s and the stops' settlements.
fn payouts(events: &Events) -> Vec<MinerPayout> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::MinerPayout(p) => Some(p.clone()),
            BrokerEvent::BookingStopped(s) => s.settlement(),
            _ => None,
        })
        .collect()
}

fn stopped(events: &Events) -> Vec<&BookingStopped> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::BookingStopped(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// The constants the spec states, pinned to their values: tests elsewhere
/// derive amounts from them, so a changed constant would pass those.
#[test]
fn the_protocol_constants_are_the_specified_ones() {
    assert_eq!(WEEK_SECONDS, 7 * 24 * 60 * 60);
    assert_eq!(WEEK_SECONDS, 604_800);
    assert_eq!(DEFAULT_FEE_BPS, 500);
    assert_eq!(MAX_FEE_BPS, 2_500);
    assert_eq!(BPS_DENOMINATOR, 10_000);
    assert_eq!(MS_PER_SECOND, 1_000);
    assert_eq!(MAX_PRICE_PER_SECOND, 1_208_925_819_614_629_174_706_176);
    assert_eq!(
        MAX_TOTAL_DEPOSITS,
        1_298_074_214_633_706_907_132_624_082_305_024
    );
    assert_eq!(MAX_MIGRATION_BATCH, 16);
    assert_eq!(MAX_URL_LEN, 256);
    assert_eq!(MAX_PAGE_LIMIT, 100);
}

mod balances;
mod bookings;
mod funding_by_others;
mod offers;
mod payments;
mod reports_after_the_end;
mod service;
mod stablecoin_change;
mod stops;
