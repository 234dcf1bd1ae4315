//! The broker core over in-memory maps, for tests, property tests and fuzzing.
use crate::{
    data::{BrokerData, BrokerMaps, Events},
    lists::{Ends, Link, ListId},
    types::*,
};
use ink::primitives::AccountId;
use p2pcloud_common::{testing::MemoryPsp22, BrokerError, CheckedToken};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InMemory {}

impl BrokerMaps for InMemory {
    type Offers = BTreeMap<OfferId, Offer>;
    type Bookings = BTreeMap<BookingId, Booking>;
    type Accounts = BTreeMap<AccountId, Account>;
    type Links = BTreeMap<(ListId, u64), Link>;
    type Ends = BTreeMap<ListId, Ends>;
    type Urls = BTreeMap<AccountId, String>;
    type Holders = BTreeMap<u64, AccountId>;
    type Ended = BTreeMap<BookingId, EndedBooking>;
}

pub type MemoryBroker = BrokerData<InMemory>;

impl MemoryBroker {
    /// Every account's balance, for invariant checks.
    pub fn balances(&self) -> impl Iterator<Item = (&AccountId, &Account)> {
        self.accounts.iter()
    }

    /// Every booking ever made, for invariant checks.
    pub fn all_bookings(&self) -> impl Iterator<Item = (&BookingId, &Booking)> {
        self.bookings.iter()
    }

    /// Every offer, for invariant checks.
    pub fn all_offers(&self) -> impl Iterator<Item = (&OfferId, &Offer)> {
        self.offers.iter()
    }

    /// The ended bookings kept for a report, for invariant checks.
    pub fn all_ended(&self) -> impl Iterator<Item = (&BookingId, &EndedBooking)> {
        self.ended.iter()
    }

    /// The holders list by slot, for invariant checks.
    pub fn all_holders(&self) -> impl Iterator<Item = (&u64, &AccountId)> {
        self.holders.iter()
    }

    /// How many entries every map holds: what the contract pays storage
    /// deposit for, besides its root cell.
    pub fn stored_items(&self) -> usize {
        [
            self.offers.len(),
            self.bookings.len(),
            self.accounts.len(),
            self.links.len(),
            self.ends.len(),
            self.urls.len(),
            self.holders.len(),
            self.ended.len(),
        ]
        .into_iter()
        .sum()
    }
}

impl Clone for MemoryBroker {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            offers: self.offers.clone(),
            bookings: self.bookings.clone(),
            accounts: self.accounts.clone(),
            links: self.links.clone(),
            ends: self.ends.clone(),
            urls: self.urls.clone(),
            holders: self.holders.clone(),
            ended: self.ended.clone(),
        }
    }
}

impl PartialEq for MemoryBroker {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
            && self.offers == other.offers
            && self.bookings == other.bookings
            && self.accounts == other.accounts
            && self.links == other.links
            && self.ends == other.ends
            && self.urls == other.urls
            && self.holders == other.holders
            && self.ended == other.ended
    }
}

impl core::fmt::Debug for MemoryBroker {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryBroker")
            .field("config", &self.config)
            .field("offers", &self.offers)
            .field("bookings", &self.bookings)
            .field("accounts", &self.accounts)
            .finish_non_exhaustive()
    }
}

/// The broker core with an in-memory token ledger and a clock: the world the
/// unit tests, property tests and fuzz targets drive.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    pub broker: MemoryBroker,
    pub token: CheckedToken<MemoryPsp22>,
    pub now: Timestamp,
}

/// A test account made of one repeated byte.
pub fn account(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}

/// The broker's own account in the token ledger.
pub fn broker_account() -> AccountId {
    account(0xB0)
}

pub fn community_account() -> AccountId {
    account(0xC0)
}

impl World {
    /// A fresh broker at time `now`, with `community_account()` as its community.
    pub fn new(now: Timestamp) -> Self {
        Self {
            broker: MemoryBroker::new(Config::new(account(0x5C), community_account())),
            token: CheckedToken::new(MemoryPsp22::new(broker_account()), broker_account()),
            now,
        }
    }

    pub fn ledger(&self) -> &MemoryPsp22 {
        self.token.api()
    }

    pub fn ledger_mut(&mut self) -> &mut MemoryPsp22 {
        self.token.api_mut()
    }

    pub fn deposit(&mut self, caller: AccountId, amount: Balance) -> Result<Events, BrokerError> {
        self.broker
            .deposit(&mut self.token, caller, amount, self.now)
    }

    pub fn deposit_for(
        &mut self,
        payer: AccountId,
        beneficiary: AccountId,
        amount: Balance,
    ) -> Result<Events, BrokerError> {
        self.broker
            .deposit_for(&mut self.token, payer, beneficiary, amount, self.now)
    }

    pub fn withdraw(&mut self, caller: AccountId, amount: Balance) -> Result<Events, BrokerError> {
        self.broker
            .withdraw(&mut self.token, caller, amount, self.now)
    }

    pub fn withdraw_up_to(
        &mut self,
        caller: AccountId,
        limit: Balance,
    ) -> Result<(Withdrawal, Events), BrokerError> {
        self.broker
            .withdraw_up_to(&mut self.token, caller, limit, self.now)
    }

    /// Mints `amount` to `account` in the ledger and deposits it.
    pub fn fund(&mut self, account: AccountId, amount: Balance) {
        self.ledger_mut().mint(account, amount);
        self.deposit(account, amount).expect("deposit");
    }

    /// One migration step, all or nothing: a step pays several accounts, and
    /// when one token call fails the contract's message reverts the others
    /// with it, as every ink! message that returns `Err` does.
    pub fn migrate(&mut self, limit: u32) -> Result<Events, BrokerError> {
        let before = self.clone();
        let result = self.broker.migrate(&mut self.token, limit, self.now);
        if result.is_err() {
            *self = before;
        }
        result
    }

    pub fn balance(&self, account: AccountId) -> Balance {
        self.broker.accounts.get(&account).map_or(0, |a| a.balance)
    }
}
