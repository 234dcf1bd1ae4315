//! The broker core over in-memory maps, for tests, property tests and fuzzing.
use crate::{
    data::{BrokerData, BrokerMaps},
    lists::{Ends, Link, ListId},
    types::*,
};
use ink::primitives::AccountId;
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
