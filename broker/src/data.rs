//! The broker's rules as plain Rust: every operation takes the caller and the
//! time explicitly, runs over any `Store`, and returns the events to emit. A
//! failed operation returns an error before it writes anything.
use crate::{
    events::*,
    lists::{self, availability_lists, Ends, Link, ListId},
    types::*,
};
use ink::{
    prelude::{string::String, vec, vec::Vec},
    primitives::{AccountId, Hash},
};
use p2pcloud_common::{ensure, BrokerError, Page, Store, Token};

/// The maps the broker keeps: ink! `Mapping`s on-chain, `BTreeMap`s in tests.
pub trait BrokerMaps {
    type Offers: Store<OfferId, Offer> + Default;
    type Bookings: Store<BookingId, Booking> + Default;
    type Accounts: Store<AccountId, Account> + Default;
    type Links: Store<(ListId, u64), Link> + Default;
    type Ends: Store<ListId, Ends> + Default;
    type Urls: Store<AccountId, String> + Default;
}

pub type Events = Vec<BrokerEvent>;
type Result<T> = core::result::Result<T, BrokerError>;

pub struct BrokerData<M: BrokerMaps> {
    pub config: Config,
    pub(crate) offers: M::Offers,
    pub(crate) bookings: M::Bookings,
    pub(crate) accounts: M::Accounts,
    pub(crate) links: M::Links,
    pub(crate) ends: M::Ends,
    pub(crate) urls: M::Urls,
}

/// What one settlement did.
struct Settlement {
    /// The user could not pay all that accrued.
    short: bool,
    events: Events,
}

/// What `account`'s active bookings owe right now (may overestimate by less
/// than one second of their prices, never underestimate). `None` on overflow.
fn owed(account: &Account, now: Timestamp) -> Option<Balance> {
    let accrued_ms_value = account
        .total_pps
        .checked_mul(u128::from(now))?
        .saturating_sub(account.pps_time);
    accrued_ms_value.checked_div(u128::from(MS_PER_SECOND))
}

fn locked(account: &Account) -> Option<Balance> {
    account.total_pps.checked_mul(WEEK_SECONDS)
}

/// `fee_bps` of `amount`, rounded down, without overflowing for any `amount`.
fn fee_of(amount: Balance, fee_bps: u16) -> Option<Balance> {
    let bps = u128::from(fee_bps);
    let whole = amount.checked_div(BPS_DENOMINATOR)?.checked_mul(bps)?;
    let rest = amount
        .checked_rem(BPS_DENOMINATOR)?
        .checked_mul(bps)?
        .checked_div(BPS_DENOMINATOR)?;
    whole.checked_add(rest)
}

fn check_price(price_per_second: Balance) -> Result<()> {
    ensure(price_per_second > 0, BrokerError::ZeroPrice)?;
    ensure(
        price_per_second <= MAX_PRICE_PER_SECOND,
        BrokerError::PriceTooHigh,
    )
}

impl<M: BrokerMaps> BrokerData<M> {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            offers: Default::default(),
            bookings: Default::default(),
            accounts: Default::default(),
            links: Default::default(),
            ends: Default::default(),
            urls: Default::default(),
        }
    }

    // ---- offers -------------------------------------------------------------

    pub fn add_offer(
        &mut self,
        miner: AccountId,
        vm_type_id: u32,
        price_per_second: Balance,
        machines: u32,
        specs: [u8; 32],
    ) -> Result<(OfferId, Events)> {
        check_price(price_per_second)?;
        ensure(machines > 0, BrokerError::ZeroMachines)?;
        let offer_id = self.config.next_offer_id;
        let next_offer_id = offer_id.checked_add(1).ok_or(BrokerError::Overflow)?;

        let offer = Offer {
            miner,
            vm_type_id,
            price_per_second,
            machines,
            booked: 0,
            specs,
        };
        self.config.next_offer_id = next_offer_id;
        self.offers.insert(&offer_id, &offer);
        self.push(ListId::MinerOffers(miner), offer_id);
        for list in availability_lists(vm_type_id) {
            self.push(list, offer_id);
        }
        let event = OfferAdded {
            offer_id,
            miner,
            vm_type_id,
            price_per_second,
            machines,
            specs,
        };
        Ok((offer_id, vec![BrokerEvent::OfferAdded(event)]))
    }

    pub fn update_offer(
        &mut self,
        caller: AccountId,
        offer_id: OfferId,
        price_per_second: Balance,
        machines: u32,
    ) -> Result<Events> {
        let mut offer = self.owned_offer(caller, offer_id)?;
        check_price(price_per_second)?;
        ensure(machines > 0, BrokerError::ZeroMachines)?;
        ensure(machines >= offer.booked, BrokerError::MachinesBelowBooked)?;

        let was_available = offer.has_free_machine();
        offer.price_per_second = price_per_second;
        offer.machines = machines;
        self.offers.insert(&offer_id, &offer);
        self.set_availability(offer_id, &offer, was_available);
        let event = OfferUpdated {
            offer_id,
            miner: caller,
            price_per_second,
            machines,
        };
        Ok(vec![BrokerEvent::OfferUpdated(event)])
    }

    pub fn remove_offer(&mut self, caller: AccountId, offer_id: OfferId) -> Result<Events> {
        let offer = self.owned_offer(caller, offer_id)?;
        ensure(offer.booked == 0, BrokerError::OfferHasBookings)?;

        self.offers.remove(&offer_id);
        self.unlink(ListId::MinerOffers(caller), offer_id);
        for list in availability_lists(offer.vm_type_id) {
            self.unlink(list, offer_id);
        }
        let event = OfferRemoved {
            offer_id,
            miner: caller,
        };
        Ok(vec![BrokerEvent::OfferRemoved(event)])
    }

    pub fn offer(&self, offer_id: OfferId) -> Option<Offer> {
        self.offers.get(&offer_id)
    }

    pub fn miners_offers(
        &self,
        miner: AccountId,
        cursor: Option<OfferId>,
        limit: u32,
    ) -> Result<Page<OfferId, Offer>> {
        self.page(ListId::MinerOffers(miner), cursor, limit, &self.offers)
    }

    /// Offers with at least one free machine, of one VM type or of all.
    pub fn available_offers(
        &self,
        vm_type_id: Option<u32>,
        cursor: Option<OfferId>,
        limit: u32,
    ) -> Result<Page<OfferId, Offer>> {
        let list = match vm_type_id {
            Some(vm_type_id) => ListId::AvailableOffersOfType(vm_type_id),
            None => ListId::AvailableOffers,
        };
        self.page(list, cursor, limit, &self.offers)
    }

    /// Sets where users reach `miner`; an empty URL clears it.
    pub fn set_miner_url(&mut self, miner: AccountId, url: String) -> Result<()> {
        ensure(url.len() <= MAX_URL_LEN, BrokerError::UrlTooLong)?;
        if url.is_empty() {
            self.urls.remove(&miner);
        } else {
            self.urls.insert(&miner, &url);
        }
        Ok(())
    }

    pub fn miner_url(&self, miner: AccountId) -> Option<String> {
        self.urls.get(&miner)
    }

    // ---- balances -----------------------------------------------------------

    /// Credits `amount` after pulling it from `caller` with the token.
    pub fn deposit(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        amount: Balance,
    ) -> Result<Events> {
        ensure(amount > 0, BrokerError::ZeroAmount)?;
        let mut account = self.account(caller);
        account.balance = account
            .balance
            .checked_add(amount)
            .ok_or(BrokerError::Overflow)?;
        let total = self
            .config
            .total_deposits
            .checked_add(amount)
            .ok_or(BrokerError::Overflow)?;
        token.receive_from(caller, amount)?;

        self.accounts.insert(&caller, &account);
        self.config.total_deposits = total;
        let event = Deposited {
            account: caller,
            amount,
        };
        Ok(vec![BrokerEvent::Deposited(event)])
    }

    /// `(free, locked)`: `locked` is a week of the account's bookings; `free`
    /// is what is left after that and after what the bookings owe right now.
    pub fn check_balance(&self, account: AccountId, now: Timestamp) -> (Balance, Balance) {
        let account = self.account(account);
        let locked = locked(&account).unwrap_or(Balance::MAX);
        let owed = owed(&account, now).unwrap_or(Balance::MAX);
        let free = account.balance.saturating_sub(locked).saturating_sub(owed);
        (free, locked)
    }

    /// Sends up to the free balance to `caller`.
    pub fn withdraw(
        &mut self,
        token: &mut impl Token,
        caller: AccountId,
        amount: Balance,
        now: Timestamp,
    ) -> Result<Events> {
        ensure(amount > 0, BrokerError::ZeroAmount)?;
        let (free, _) = self.check_balance(caller, now);
        ensure(amount <= free, BrokerError::InsufficientFreeBalance)?;
        let mut account = self.account(caller);
        // Cannot underflow: amount <= free <= balance <= total_deposits.
        account.balance = account.balance.saturating_sub(amount);
        let total = self.config.total_deposits.saturating_sub(amount);
        token.send_to(caller, amount)?;

        self.accounts.insert(&caller, &account);
        self.config.total_deposits = total;
        let event = Withdrawn {
            account: caller,
            amount,
        };
        Ok(vec![BrokerEvent::Withdrawn(event)])
    }

    // ---- bookings -----------------------------------------------------------

    pub fn book_vm(
        &mut self,
        user: AccountId,
        offer_id: OfferId,
        now: Timestamp,
    ) -> Result<(BookingId, Events)> {
        let mut offer = self
            .offers
            .get(&offer_id)
            .ok_or(BrokerError::UnknownOffer)?;
        ensure(offer.has_free_machine(), BrokerError::NoFreeMachine)?;
        let price = offer.price_per_second;
        let mut account = self.account(user);
        let total_pps = account
            .total_pps
            .checked_add(price)
            .filter(|total| *total <= MAX_PRICE_PER_SECOND)
            .ok_or(BrokerError::PriceTooHigh)?;
        let needed = total_pps
            .checked_mul(WEEK_SECONDS)
            .and_then(|week| week.checked_add(owed(&account, now)?))
            .ok_or(BrokerError::Overflow)?;
        ensure(needed <= account.balance, BrokerError::InsufficientBalance)?;
        let pps_time = price
            .checked_mul(u128::from(now))
            .and_then(|started| account.pps_time.checked_add(started))
            .ok_or(BrokerError::Overflow)?;
        let booking_id = self.config.next_booking_id;
        let next_booking_id = booking_id.checked_add(1).ok_or(BrokerError::Overflow)?;

        self.config.next_booking_id = next_booking_id;
        account.total_pps = total_pps;
        account.pps_time = pps_time;
        self.accounts.insert(&user, &account);
        // Cannot overflow: booked < machines.
        offer.booked = offer.booked.saturating_add(1);
        self.offers.insert(&offer_id, &offer);
        self.set_availability(offer_id, &offer, true);
        let booking = Booking {
            offer_id,
            user,
            miner: offer.miner,
            vm_type_id: offer.vm_type_id,
            price_per_second: price,
            fee_bps: self.config.fee_bps,
            started_at: now,
            last_payment: now,
            status: BookingStatus::Active,
        };
        self.bookings.insert(&booking_id, &booking);
        self.push(ListId::UserBookings(user), booking_id);
        self.push(ListId::MinerBookings(offer.miner), booking_id);
        let event = BookingStarted {
            booking_id,
            offer_id,
            user,
            miner: offer.miner,
            price_per_second: price,
        };
        Ok((booking_id, vec![BrokerEvent::BookingStarted(event)]))
    }

    /// Pays the miner what accrued; ends the booking if the user cannot pay.
    pub fn claim_payment(
        &mut self,
        caller: AccountId,
        booking_id: BookingId,
        now: Timestamp,
    ) -> Result<Events> {
        let mut booking = self.active_booking(booking_id)?;
        ensure(caller == booking.miner, BrokerError::NotBookingMiner)?;
        let Settlement { short, mut events } = self.settle(booking_id, &mut booking, now)?;
        if short {
            events.extend(self.end(booking_id, &mut booking, StopReason::NonPayment, now)?);
        }
        self.bookings.insert(&booking_id, &booking);
        Ok(events)
    }

    /// Settles like a claim, then ends the booking and frees its machine.
    pub fn stop_booking(
        &mut self,
        caller: AccountId,
        booking_id: BookingId,
        reason: StopReason,
        now: Timestamp,
    ) -> Result<Events> {
        let mut booking = self.active_booking(booking_id)?;
        let allowed = match reason {
            StopReason::Ok | StopReason::MinerMisbehaviour => {
                ensure(caller == booking.user, BrokerError::NotBookingUser)
            }
            StopReason::MinerTerminated => {
                ensure(caller == booking.miner, BrokerError::NotBookingMiner)
            }
            StopReason::NonPayment => Err(BrokerError::ReasonReserved),
            StopReason::CommunityTerminated => {
                ensure(caller == self.config.community, BrokerError::NotCommunity)
            }
        };
        allowed?;
        let Settlement { short, mut events } = self.settle(booking_id, &mut booking, now)?;
        let end_reason = if short {
            StopReason::NonPayment
        } else {
            reason
        };
        events.extend(self.end(booking_id, &mut booking, end_reason, now)?);
        if reason == StopReason::MinerMisbehaviour {
            let report = BookingReported {
                booking_id,
                user: booking.user,
                miner: booking.miner,
                vm_type_id: booking.vm_type_id,
                price_per_second: booking.price_per_second,
                seconds_used: seconds_between(booking.started_at, now),
            };
            events.push(BrokerEvent::BookingReported(report));
        }
        self.bookings.insert(&booking_id, &booking);
        Ok(events)
    }

    pub fn booking(&self, booking_id: BookingId) -> Option<Booking> {
        self.bookings.get(&booking_id)
    }

    /// The user's active bookings.
    pub fn user_bookings(
        &self,
        user: AccountId,
        cursor: Option<BookingId>,
        limit: u32,
    ) -> Result<Page<BookingId, Booking>> {
        self.page(ListId::UserBookings(user), cursor, limit, &self.bookings)
    }

    /// The miner's active bookings.
    pub fn miner_bookings(
        &self,
        miner: AccountId,
        cursor: Option<BookingId>,
        limit: u32,
    ) -> Result<Page<BookingId, Booking>> {
        self.page(ListId::MinerBookings(miner), cursor, limit, &self.bookings)
    }

    // ---- service functions (community only) ---------------------------------

    pub fn set_stablecoin(&mut self, caller: AccountId, new: AccountId) -> Result<Events> {
        self.ensure_community(caller)?;
        ensure(self.config.total_deposits == 0, BrokerError::DepositsExist)?;
        let old = core::mem::replace(&mut self.config.stablecoin, new);
        Ok(vec![BrokerEvent::StablecoinChanged(StablecoinChanged {
            old,
            new,
        })])
    }

    /// Hands the community role over to `new`. Fees already earned stay in the
    /// old community's balance, which it can still withdraw.
    pub fn set_community(&mut self, caller: AccountId, new: AccountId) -> Result<Events> {
        self.ensure_community(caller)?;
        let old = core::mem::replace(&mut self.config.community, new);
        Ok(vec![BrokerEvent::CommunityChanged(CommunityChanged {
            old,
            new,
        })])
    }

    /// Applies to bookings made from now on.
    pub fn set_community_fee(&mut self, caller: AccountId, new_bps: u16) -> Result<Events> {
        self.ensure_community(caller)?;
        ensure(new_bps <= MAX_FEE_BPS, BrokerError::FeeTooHigh)?;
        let old_bps = core::mem::replace(&mut self.config.fee_bps, new_bps);
        Ok(vec![BrokerEvent::CommunityFeeChanged(
            CommunityFeeChanged { old_bps, new_bps },
        )])
    }

    /// Authorizes a code upgrade; the contract swaps the code, then emits.
    pub fn upgrade_code(&self, caller: AccountId, code_hash: Hash) -> Result<Events> {
        self.ensure_community(caller)?;
        Ok(vec![BrokerEvent::CodeUpgraded(CodeUpgraded { code_hash })])
    }

    // ---- internals ----------------------------------------------------------

    pub(crate) fn account(&self, account: AccountId) -> Account {
        self.accounts.get(&account).unwrap_or_default()
    }

    fn ensure_community(&self, caller: AccountId) -> Result<()> {
        ensure(caller == self.config.community, BrokerError::NotCommunity)
    }

    fn owned_offer(&self, caller: AccountId, offer_id: OfferId) -> Result<Offer> {
        let offer = self
            .offers
            .get(&offer_id)
            .ok_or(BrokerError::UnknownOffer)?;
        ensure(offer.miner == caller, BrokerError::NotOfferOwner)?;
        Ok(offer)
    }

    fn active_booking(&self, booking_id: BookingId) -> Result<Booking> {
        let booking = self
            .bookings
            .get(&booking_id)
            .ok_or(BrokerError::UnknownBooking)?;
        ensure(
            booking.status == BookingStatus::Active,
            BrokerError::BookingEnded,
        )?;
        Ok(booking)
    }

    fn push(&mut self, list: ListId, id: u64) {
        lists::push_back(&mut self.links, &mut self.ends, list, id);
    }

    fn unlink(&mut self, list: ListId, id: u64) {
        lists::remove(&mut self.links, &mut self.ends, list, id);
    }

    /// Keeps the offer in the availability lists exactly while it has a free machine.
    fn set_availability(&mut self, offer_id: OfferId, offer: &Offer, was_available: bool) {
        match (was_available, offer.has_free_machine()) {
            (true, false) => availability_lists(offer.vm_type_id)
                .into_iter()
                .for_each(|list| self.unlink(list, offer_id)),
            (false, true) => availability_lists(offer.vm_type_id)
                .into_iter()
                .for_each(|list| self.push(list, offer_id)),
            _ => {}
        }
    }

    fn page<T, S: Store<u64, T>>(
        &self,
        list: ListId,
        cursor: Option<u64>,
        limit: u32,
        items: &S,
    ) -> Result<Page<u64, T>> {
        let (ids, next) = lists::page(&self.links, &self.ends, list, cursor, limit)?;
        let items = ids
            .into_iter()
            .filter_map(|id| items.get(&id).map(|item| (id, item)))
            .collect();
        Ok(Page { items, next })
    }

    /// Pays the whole seconds accrued since the last payment, as far as the
    /// user's balance goes: the fee to the community, the rest to the miner.
    fn settle(
        &mut self,
        booking_id: BookingId,
        booking: &mut Booking,
        now: Timestamp,
    ) -> Result<Settlement> {
        let seconds = seconds_between(booking.last_payment, now);
        let paid_ms = seconds
            .checked_mul(MS_PER_SECOND)
            .ok_or(BrokerError::Overflow)?;
        let price = booking.price_per_second;
        let due = price
            .checked_mul(u128::from(seconds))
            .ok_or(BrokerError::Overflow)?;
        let paid_time_value = price
            .checked_mul(u128::from(paid_ms))
            .ok_or(BrokerError::Overflow)?;
        let mut user = self.account(booking.user);
        let charged = due.min(user.balance);
        let fee = fee_of(charged, booking.fee_bps).ok_or(BrokerError::Overflow)?;
        // Cannot underflow: fee <= charged <= balance.
        let miner_amount = charged.saturating_sub(fee);
        user.balance = user.balance.saturating_sub(charged);
        user.pps_time = user
            .pps_time
            .checked_add(paid_time_value)
            .ok_or(BrokerError::Overflow)?;
        booking.last_payment = booking
            .last_payment
            .checked_add(paid_ms)
            .ok_or(BrokerError::Overflow)?;

        self.accounts.insert(&booking.user, &user);
        self.credit(booking.miner, miner_amount)?;
        self.credit(self.config.community, fee)?;
        let mut events = Vec::new();
        if charged > 0 {
            events.push(BrokerEvent::MinerPayout(MinerPayout {
                booking_id,
                miner: booking.miner,
                user: booking.user,
                amount: miner_amount,
                fee,
                seconds,
            }));
        }
        Ok(Settlement {
            short: due > charged,
            events,
        })
    }

    /// Moves `amount` already held by the broker into `account`'s balance.
    fn credit(&mut self, account: AccountId, amount: Balance) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        let mut credited = self.account(account);
        credited.balance = credited
            .balance
            .checked_add(amount)
            .ok_or(BrokerError::Overflow)?;
        self.accounts.insert(&account, &credited);
        Ok(())
    }

    /// Ends a settled booking: releases its lock, its machine and its list entries.
    fn end(
        &mut self,
        booking_id: BookingId,
        booking: &mut Booking,
        reason: StopReason,
        now: Timestamp,
    ) -> Result<Events> {
        let mut user = self.account(booking.user);
        let price = booking.price_per_second;
        let time_value = price
            .checked_mul(u128::from(booking.last_payment))
            .ok_or(BrokerError::Overflow)?;
        user.total_pps = user
            .total_pps
            .checked_sub(price)
            .ok_or(BrokerError::Overflow)?;
        user.pps_time = user
            .pps_time
            .checked_sub(time_value)
            .ok_or(BrokerError::Overflow)?;
        self.accounts.insert(&booking.user, &user);

        if let Some(mut offer) = self.offers.get(&booking.offer_id) {
            let was_available = offer.has_free_machine();
            offer.booked = offer.booked.saturating_sub(1);
            self.offers.insert(&booking.offer_id, &offer);
            self.set_availability(booking.offer_id, &offer, was_available);
        }
        self.unlink(ListId::UserBookings(booking.user), booking_id);
        self.unlink(ListId::MinerBookings(booking.miner), booking_id);
        booking.status = BookingStatus::Ended { reason, at: now };
        Ok(vec![BrokerEvent::BookingStopped(BookingStopped {
            booking_id,
            user: booking.user,
            miner: booking.miner,
            reason,
            seconds_used: seconds_between(booking.started_at, now),
        })])
    }
}

/// Whole seconds from `from` to `to`; zero if `to` is earlier.
fn seconds_between(from: Timestamp, to: Timestamp) -> u64 {
    to.saturating_sub(from)
        .checked_div(MS_PER_SECOND)
        .unwrap_or_default()
}
