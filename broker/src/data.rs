//! The broker's rules as plain Rust: every operation takes the caller and the
//! time explicitly, runs over any `Store`, and returns the events to emit. A
//! failed operation returns an error before it writes anything, except a
//! migration step, whose batch the failed message's revert undoes.
//!
//! This file holds the state and what every rule shares; the rules themselves
//! are split by concern: `offers`, `balances`, `bookings`, `service`.
use crate::{
    events::BrokerEvent,
    lists::{self, Ends, Link, ListId},
    types::*,
};
use ink::{
    prelude::{string::String, vec::Vec},
    primitives::AccountId,
};
use p2pcloud_common::{ensure, BrokerError, Page, Store};

/// The maps the broker keeps: ink! `Mapping`s on-chain, `BTreeMap`s in tests.
pub trait BrokerMaps {
    type Offers: Store<OfferId, Offer> + Default;
    type Bookings: Store<BookingId, Booking> + Default;
    type Accounts: Store<AccountId, Account> + Default;
    type Links: Store<(ListId, u64), Link> + Default;
    type Ends: Store<ListId, Ends> + Default;
    type Urls: Store<AccountId, String> + Default;
    /// Every stored account by slot, `0..config.holders`.
    type Holders: Store<u64, AccountId> + Default;
    /// Bookings that ended without a report, while their user may report them.
    type Ended: Store<BookingId, EndedBooking> + Default;
}

pub type Events = Vec<BrokerEvent>;
pub(crate) type Result<T> = core::result::Result<T, BrokerError>;

pub struct BrokerData<M: BrokerMaps> {
    pub config: Config,
    pub(crate) offers: M::Offers,
    pub(crate) bookings: M::Bookings,
    pub(crate) accounts: M::Accounts,
    pub(crate) links: M::Links,
    pub(crate) ends: M::Ends,
    pub(crate) urls: M::Urls,
    pub(crate) holders: M::Holders,
    pub(crate) ended: M::Ended,
}

impl<M: BrokerMaps> BrokerData<M> {
    /// The broker over `config` and the maps of `M` (on-chain: the contract's
    /// storage, whose keys are fixed).
    pub fn new(config: Config) -> Self {
        Self {
            config,
            offers: Default::default(),
            bookings: Default::default(),
            accounts: Default::default(),
            links: Default::default(),
            ends: Default::default(),
            urls: Default::default(),
            holders: Default::default(),
            ended: Default::default(),
        }
    }

    pub(crate) fn ensure_community(&self, caller: AccountId) -> Result<()> {
        ensure(caller == self.config.community, BrokerError::NotCommunity)
    }

    pub(crate) fn ensure_not_migrating(&self) -> Result<()> {
        ensure(
            self.config.migrating_to.is_none(),
            BrokerError::MigrationInProgress,
        )
    }

    // ---- accounts -----------------------------------------------------------

    /// The account as it stands at `now`. If its balance ran out since it was
    /// last saved, the moment it did is fixed here, before anything else
    /// touches the account, so every booking of the user is paid up to that
    /// same moment whoever settles first.
    pub(crate) fn account_at(&self, id: AccountId, now: Timestamp) -> Result<Account> {
        let mut account = self.accounts.get(&id).unwrap_or_default();
        if account.ran_out_at.is_none() {
            if let Some(at) = covered_until(&account)? {
                if at < now {
                    account.ran_out_at = Some(at);
                }
            }
        }
        Ok(account)
    }

    /// Stores `account`, or deletes it (and its holder slot) once it holds
    /// neither money nor bookings, so its storage deposit comes back.
    pub(crate) fn save_account(&mut self, id: AccountId, mut account: Account) -> Result<()> {
        if account.total_pps == 0 {
            account.ran_out_at = None;
        }
        if account.is_empty() {
            if let Some(slot) = account.holder_slot {
                self.free_holder_slot(slot)?;
            }
            self.accounts.remove(&id);
            return Ok(());
        }
        if account.holder_slot.is_none() {
            let slot = self.config.holders;
            self.config.holders = slot.checked_add(1).ok_or(BrokerError::Overflow)?;
            self.holders.insert(&slot, &id);
            account.holder_slot = Some(slot);
        }
        self.accounts.insert(&id, &account);
        Ok(())
    }

    /// Moves the last holder into `slot`, so the slots stay `0..holders`.
    fn free_holder_slot(&mut self, slot: u64) -> Result<()> {
        let last = self
            .config
            .holders
            .checked_sub(1)
            .ok_or(BrokerError::Overflow)?;
        if slot != last {
            let moved = self.holders.get(&last).ok_or(BrokerError::Overflow)?;
            let mut account = self.accounts.get(&moved).ok_or(BrokerError::Overflow)?;
            account.holder_slot = Some(slot);
            self.accounts.insert(&moved, &account);
            self.holders.insert(&slot, &moved);
        }
        self.holders.remove(&last);
        self.config.holders = last;
        Ok(())
    }

    /// Moves `amount` already held by the broker into `account`'s balance.
    pub(crate) fn credit(
        &mut self,
        account: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let mut credited = self.account_at(account, now)?;
        credited.balance = credited
            .balance
            .checked_add(amount)
            .ok_or(BrokerError::Overflow)?;
        self.save_account(account, credited)
    }

    // ---- lists --------------------------------------------------------------

    pub(crate) fn push(&mut self, list: ListId, id: u64) {
        lists::push_back(&mut self.links, &mut self.ends, list, id);
    }

    pub(crate) fn unlink(&mut self, list: ListId, id: u64) {
        lists::remove(&mut self.links, &mut self.ends, list, id);
    }

    /// A page of `list` with the items `keep` accepts. `keep` is a plain
    /// function, not a closure type, so every page of one item type shares
    /// one copy of this code in the contract.
    pub(crate) fn page<T, S: Store<u64, T>>(
        &self,
        list: ListId,
        cursor: Option<u64>,
        limit: u32,
        items: &S,
        keep: fn(&T) -> bool,
    ) -> Result<Page<u64, T>> {
        let (ids, next) = lists::page(&self.links, &self.ends, list, cursor, limit)?;
        let items = ids
            .into_iter()
            .filter_map(|id| items.get(&id).map(|item| (id, item)))
            .filter(|(_, item)| keep(item))
            .collect();
        Ok(Page { items, next })
    }
}

/// The last moment the account's balance covers what its bookings accrue at
/// their current prices, counted in price-milliseconds so no rounding moves it;
/// `None` without bookings. Settling a booking leaves it where it is (the
/// balance falls by exactly what `pps_time` gains / 1000).
pub(crate) fn covered_until(account: &Account) -> Result<Option<Timestamp>> {
    if account.ran_out_at.is_some() {
        return Ok(account.ran_out_at);
    }
    if account.total_pps == 0 {
        return Ok(None);
    }
    let covered = account
        .balance
        .checked_mul(u128::from(MS_PER_SECOND))
        .and_then(|value| value.checked_add(account.pps_time))
        .ok_or(BrokerError::Overflow)?;
    let at = covered
        .checked_div(account.total_pps)
        .ok_or(BrokerError::Overflow)?;
    // Past the u64 range means never within any block time.
    Ok(Some(Timestamp::try_from(at).unwrap_or(Timestamp::MAX)))
}
