//! The p2pcloud broker: miners offer VMs, users deposit a PSP22 stablecoin and
//! book them, miners claim what accrued, the community takes a fee and governs.
//!
//! The rules live in [`data`] as plain Rust; this contract only reads the caller
//! and the time, calls the token, swaps code and emits what the rules return.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
// cargo-contract's lint step builds every feature at once, `hot` and
// `library` together, where every message body is a hand-off and the rules
// go unused; no bundle is built that way.
#![cfg_attr(all(feature = "hot", feature = "library"), allow(dead_code))]

mod balances;
mod bookings;
pub mod data;
pub mod events;
pub mod layout;
pub mod lists;
#[cfg(feature = "std")]
pub mod memory;
#[cfg(feature = "std")]
pub mod model;
mod offers;
pub mod onchain;
mod service;
mod split;
pub mod types;

#[cfg(test)]
mod tests;

pub use self::broker::{Broker, BrokerRef};
pub use p2pcloud_common::{BrokerError, Page, StopReason, StorageMigrated};

#[ink::contract]
mod broker {
    use crate::{
        data::{BrokerData, Events},
        events::BrokerEvent,
        layout::{EarlierPins, PinnedLibrary, StoredConfig, LAYOUT_VERSION},
        onchain::OnChain,
        split::{cold, hot},
        types::*,
    };
    use ink::prelude::string::String;
    use p2pcloud_common::{BrokerError, CheckedToken, Page, Psp22Contract};

    type Result<T> = core::result::Result<T, BrokerError>;

    #[ink(storage)]
    pub struct Broker {
        /// The layout everything else is stored in, as `LAYOUT_VERSION`
        /// numbers them. The only field read eagerly, so every build can read
        /// it, whatever layout the rest is in.
        layout: u16,
        config: StoredConfig,
        /// The library this broker's pin keeps on chain (the hot build's
        /// `split::LIBRARY` once pinned), so a code swap pins its new library
        /// once.
        pinned_library: PinnedLibrary,
        /// The libraries pinned before `pinned_library`, whose pins still
        /// run: a swap back to their code pins nothing.
        earlier_pins: EarlierPins,
    }

    impl Broker {
        /// Anyone: instantiates the broker over `stablecoin`, with a 5% community fee and
        /// the default token call limits. `community` is the community contract (or,
        /// before it exists, the account that will hand over to it with
        /// `set_community_contract`).
        #[ink(constructor)]
        pub fn new(stablecoin: AccountId, community: AccountId) -> Self {
            let mut broker = Self {
                layout: LAYOUT_VERSION,
                config: Default::default(),
                pinned_library: Default::default(),
                earlier_pins: Default::default(),
            };
            broker.config.set(&Config::new(stablecoin, community));
            // Not pinned here: a constructor that instantiated the pin first
            // would make the pin's `Instantiated` event the extrinsic's first,
            // which Contracts UI takes for the broker's address.
            // `migrate_storage` pins.
            broker
        }

        /// The library build only: the library's pin, an instance that keeps
        /// its code on chain for the brokers that run it. It governs itself,
        /// so no caller can change its code; every hot message traps in it.
        #[cfg(feature = "library")]
        #[ink(constructor)]
        pub fn pin() -> Self {
            let own = Self::env().account_id();
            Self::new(own, own)
        }

        // ---- offers ---------------------------------------------------------

        /// Anyone: offers `machines` machines of VM type `vm_type_id` at
        /// `price_per_second` each, `specs` hashing their spec document; the caller is
        /// the offer's miner. Returns the offer id. Emits `OfferAdded`. Errors:
        /// `MigrationInProgress` (a price needs a token), `ZeroPrice`, `PriceTooHigh`,
        /// `ZeroMachines`.
        #[ink(message)]
        pub fn add_offer(
            &mut self,
            vm_type_id: hot::u32,
            price_per_second: hot::Balance,
            machines: hot::u32,
            specs: [u8; 32],
        ) -> Result<OfferId> {
            hot!(vm_type_id, price_per_second, machines, specs => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let (offer_id, events) =
                    rules.add_offer(caller, vm_type_id, price_per_second, machines, specs)?;
                self.commit(rules, events);
                Ok(offer_id)
            })
        }

        /// The offer's miner only: sets its price and machine count; running bookings
        /// keep the price they started at. Emits `OfferUpdated`. Errors:
        /// `MigrationInProgress`, `UnknownOffer`, `NotOfferOwner`, `OfferClosed`, `ZeroPrice`, `PriceTooHigh`, `ZeroMachines`,
        /// `MachinesBelowBooked`.
        #[ink(message)]
        pub fn update_offer(
            &mut self,
            offer_id: hot::OfferId,
            price_per_second: hot::Balance,
            machines: hot::u32,
        ) -> Result<()> {
            hot!(offer_id, price_per_second, machines => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.update_offer(caller, offer_id, price_per_second, machines)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// The offer's miner only: removes the offer (emits `OfferRemoved`) or, while it
        /// has bookings, closes it to new ones (emits `OfferClosed`); it is then removed
        /// when its last booking ends. Errors: `UnknownOffer`, `NotOfferOwner`,
        /// `OfferClosed`.
        #[ink(message)]
        pub fn remove_offer(&mut self, offer_id: hot::OfferId) -> Result<()> {
            hot!(offer_id => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.remove_offer(caller, offer_id)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the offer, open or closed; `None` once it is removed.
        #[ink(message)]
        pub fn get_offer(&self, offer_id: cold::OfferId) -> Option<Offer> {
            cold!(offer_id => {
                self.rules().offer(offer_id)
            })
        }

        /// Query: a page of `miner`'s offers (open and closed), oldest first, from
        /// `cursor` (an offer id); pass the page's `next` as `cursor` to go on. Errors:
        /// `PageLimitOutOfRange` (`limit` runs from 1 to 100).
        #[ink(message)]
        pub fn get_miners_offers(
            &self,
            miner: cold::AccountId,
            cursor: cold::Option<OfferId>,
            limit: cold::u32,
        ) -> Result<Page<OfferId, Offer>> {
            cold!(miner, cursor, limit => {
                self.rules().miners_offers(miner, cursor, limit)
            })
        }

        /// Query: a page of open offers with a free machine, of one VM type or of any, in
        /// id order. It scans `limit` offers, so a page may hold fewer: go on from
        /// `next`. Errors: `PageLimitOutOfRange` (`limit` runs from 1 to 100).
        #[ink(message)]
        pub fn get_available_offers(
            &self,
            vm_type_id: cold::Option<u32>,
            cursor: cold::Option<OfferId>,
            limit: cold::u32,
        ) -> Result<Page<OfferId, Offer>> {
            cold!(vm_type_id, cursor, limit => {
                self.rules().available_offers(vm_type_id, cursor, limit)
            })
        }

        /// Anyone: sets where users reach the caller as a miner; an empty URL clears it.
        /// Emits nothing. Errors: `UrlTooLong` (over 256 bytes).
        #[ink(message)]
        pub fn set_miner_url(&mut self, url: hot::String) -> Result<()> {
            hot!(url => {
                let caller = self.env().caller();
                self.rules().set_miner_url(caller, url)
            })
        }

        /// Query: where users reach `miner`, if it set a URL.
        #[ink(message)]
        pub fn get_miner_url(&self, miner: cold::AccountId) -> Option<String> {
            cold!(miner => {
                self.rules().miner_url(miner)
            })
        }

        // ---- balances -------------------------------------------------------

        /// Anyone: pulls `amount` of the stablecoin from the caller (approve it first)
        /// into the caller's balance. Emits `Deposited`. Errors: `MigrationInProgress`,
        /// `ZeroAmount`, `DepositCapReached`, `TokenCallFailed`, `TokenTransferRejected`,
        /// `TokenBalanceMismatch`.
        #[ink(message)]
        pub fn deposit_coin(&mut self, amount: hot::Balance) -> Result<()> {
            hot!(amount => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut token = self.token();
                let mut rules = self.rules();
                let events = rules.deposit(&mut token, caller, amount, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Anyone: pulls `amount` of the stablecoin from the caller (approve it first)
        /// into `account`'s balance, which only `account` may book with or withdraw.
        /// Emits `DepositedFor`. Errors: those of `deposit_coin`,
        /// `BeneficiaryRanOut` when `account`'s balance already ran out, and
        /// `BrokerAsBeneficiary` for the broker's own address.
        #[ink(message)]
        pub fn deposit_for(
            &mut self,
            account: cold::AccountId,
            amount: cold::Balance,
        ) -> Result<()> {
            cold!(account, amount => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut token = self.token();
                let mut rules = self.rules();
                let events = rules.deposit_for(&mut token, caller, account, amount, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: what `account` holds, owes, has locked and may withdraw right now, and
        /// when its balance runs out at its bookings' prices. Its one error, `Overflow`,
        /// cannot occur within the price and deposit caps.
        #[ink(message)]
        pub fn check_balance(&self, account: cold::AccountId) -> Result<BalanceReport> {
            cold!(account => {
                self.rules()
                    .check_balance(account, self.env().block_timestamp())
            })
        }

        /// Anyone: sends `amount`, at most the caller's free balance, back to the caller
        /// (also during a migration). Emits `Withdrawn` with what it took from the
        /// balance: what the token did not move stays there. Errors: `ZeroAmount`,
        /// `InsufficientFreeBalance`, `TokenCallFailed`, `TokenTransferRejected`,
        /// `TokenBalanceMismatch` (the broker would hold less than it owes).
        #[ink(message)]
        pub fn withdraw_coin(&mut self, amount: hot::Balance) -> Result<()> {
            hot!(amount => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut token = self.token();
                let mut rules = self.rules();
                let events = rules.withdraw(&mut token, caller, amount, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Anyone: sends the caller's free balance, at most `limit`, back to the caller
        /// (also during a migration), and answers what it took from the balance and in
        /// which token (what the token did not move stays there); with nothing free
        /// it sends nothing and answers 0. The community collects its fees so, in one
        /// call. Emits `Withdrawn` when it sends. Errors: `TokenCallFailed`,
        /// `TokenTransferRejected`, `TokenBalanceMismatch`.
        #[ink(message)]
        pub fn withdraw_up_to(&mut self, limit: hot::Balance) -> Result<Withdrawal> {
            hot!(limit => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut token = self.token();
                let mut rules = self.rules();
                let (withdrawal, events) = rules.withdraw_up_to(&mut token, caller, limit, now)?;
                self.commit(rules, events);
                Ok(withdrawal)
            })
        }

        // ---- bookings -------------------------------------------------------

        /// Anyone but the offer's miner: books a machine of `offer_id`, refused if its
        /// price is above `max_price_per_second` (so a price raised meanwhile is never
        /// paid) or if the balance cannot pay a week of all the caller's bookings. Emits
        /// `BookingStarted`. Errors: `MigrationInProgress`, `UnknownOffer`,
        /// `OfferClosed`, `OwnOffer`, `PriceAboveLimit`, `NoFreeMachine`,
        /// `BalanceRanOut`, `PriceTooHigh`, `InsufficientBalance`.
        #[ink(message)]
        pub fn book_vm(
            &mut self,
            offer_id: hot::OfferId,
            max_price_per_second: hot::Balance,
        ) -> Result<BookingId> {
            hot!(offer_id, max_price_per_second => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let (booking_id, events) =
                    rules.book_vm(caller, offer_id, max_price_per_second, now)?;
                self.commit(rules, events);
                Ok(booking_id)
            })
        }

        /// The booking's miner only: pays what the booking accrued, the fee to the
        /// community and the rest to the miner's balance (emits `MinerPayout` if anything
        /// accrued). If the user's balance ran out, it ends the booking instead:
        /// `BookingStopped` (`NonPayment`, with what this claim paid in place of a
        /// `MinerPayout`), and `OfferRemoved` for a closed offer's last booking. Errors:
        /// `UnknownBooking`, `NotBookingMiner`.
        #[ink(message)]
        pub fn claim_payment(&mut self, booking_id: hot::BookingId) -> Result<()> {
            hot!(booking_id => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.claim_payment(caller, booking_id, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Settles like `claim_payment`, then ends the booking. `Ok`,
        /// `MinerMisbehaviour`: its user only; `MinerTerminated`: its miner only;
        /// `CommunityTerminated`: the community only. Emits `BookingStopped` (with what
        /// the settlement paid), `OfferRemoved` as `claim_payment`, and `BookingReported`
        /// for `MinerMisbehaviour`. Errors: `UnknownBooking`, `NotBookingUser`,
        /// `NotBookingMiner`, `NotCommunity`, `ReasonReserved` (`NonPayment`).
        #[ink(message)]
        pub fn stop_booking(
            &mut self,
            booking_id: hot::BookingId,
            reason: hot::StopReason,
        ) -> Result<()> {
            hot!(booking_id, reason => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.stop_booking(caller, booking_id, reason, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// The booking's user: reports a booking that ended without a report,
        /// within `REPORT_WINDOW` (7 days) of its end, whoever ended it, with
        /// what it ran and paid; its record is deleted. Emits `BookingReported`.
        /// Errors: `NoReportableBooking`, `NotBookingUser`, `ReportWindowClosed`.
        #[ink(message)]
        pub fn report_ended_booking(&mut self, booking_id: cold::BookingId) -> Result<()> {
            cold!(booking_id => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.report_ended_booking(caller, booking_id, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Anyone: deletes the record of an ended booking whose report window
        /// closed, which returns its storage deposit. Errors:
        /// `NoReportableBooking`, `ReportWindowOpen`.
        #[ink(message)]
        pub fn forget_ended_booking(&mut self, booking_id: cold::BookingId) -> Result<()> {
            cold!(booking_id => {
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.forget_ended_booking(booking_id, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: what is kept of a booking that ended without a report, while
        /// its user may still report it (or until someone deletes it after).
        #[ink(message)]
        pub fn get_ended_booking(&self, booking_id: cold::BookingId) -> Option<EndedBooking> {
            cold!(booking_id => {
                self.rules().ended_booking(booking_id)
            })
        }

        /// Query: the active booking; `None` once it ended (its events tell how).
        #[ink(message)]
        pub fn get_booking(&self, booking_id: cold::BookingId) -> Option<Booking> {
            cold!(booking_id => {
                self.rules().booking(booking_id)
            })
        }

        /// Query: a page of `user`'s active bookings, oldest first, from `cursor` (a
        /// booking id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to 100).
        #[ink(message)]
        pub fn get_user_bookings(
            &self,
            user: cold::AccountId,
            cursor: cold::Option<BookingId>,
            limit: cold::u32,
        ) -> Result<Page<BookingId, Booking>> {
            cold!(user, cursor, limit => {
                self.rules().user_bookings(user, cursor, limit)
            })
        }

        /// Query: a page of `miner`'s active bookings, oldest first, from `cursor` (a
        /// booking id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to 100).
        #[ink(message)]
        pub fn get_miner_bookings(
            &self,
            miner: cold::AccountId,
            cursor: cold::Option<BookingId>,
            limit: cold::u32,
        ) -> Result<Page<BookingId, Booking>> {
            cold!(miner, cursor, limit => {
                self.rules().miner_bookings(miner, cursor, limit)
            })
        }

        // ---- service functions ----------------------------------------------

        /// The community only: starts the migration to `stablecoin` (emits
        /// `MigrationStarted`); deposits, bookings and new prices stop until `migrate`
        /// has ended every booking, removed every offer (priced in the old token) and
        /// paid every balance back. If the broker holds nothing it switches at once
        /// (`StablecoinChanged`). Errors: `NotCommunity`,
        /// `MigrationInProgress`.
        #[ink(message)]
        pub fn set_stablecoin_address(&mut self, stablecoin: cold::AccountId) -> Result<()> {
            cold!(stablecoin => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.set_stablecoin(caller, stablecoin)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the stablecoin the broker holds balances in.
        #[ink(message)]
        pub fn get_stablecoin_address(&self) -> AccountId {
            cold!( => {
                self.config().stablecoin
            })
        }

        /// Anyone: one step of a running stablecoin migration: `limit` (1 to 16) items,
        /// bookings ended first, then offers removed, then balances paid back (what the
        /// token does not move stays in the balance and ends the step). Emits
        /// `BookingStopped`, `OfferRemoved`, `Withdrawn`, and `StablecoinChanged` when
        /// done. Errors: `NoMigration`, `BatchLimitOutOfRange`, `TokenCallFailed`,
        /// `TokenTransferRejected`, `TokenBalanceMismatch`.
        #[ink(message)]
        pub fn migrate(&mut self, limit: cold::u32) -> Result<()> {
            cold!(limit => {
                let now = self.env().block_timestamp();
                let mut token = self.token();
                let mut rules = self.rules();
                let events = rules.migrate(&mut token, limit, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the stablecoin a running migration moves to; `None` when none runs.
        #[ink(message)]
        pub fn get_migration(&self) -> Option<AccountId> {
            cold!( => {
                self.config().migrating_to
            })
        }

        /// Community only: offers the community role to `community` (emits
        /// `CommunityProposed`); nothing changes until it calls
        /// `accept_community`. Offering it to the current community withdraws
        /// the offer. Errors: `NotCommunity`.
        #[ink(message)]
        pub fn set_community_contract(&mut self, community: cold::AccountId) -> Result<()> {
            cold!(community => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.set_community(caller, community)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// The proposed successor only: takes the community role (emits
        /// `CommunityChanged`). Errors: `NotProposedCommunity`.
        #[ink(message)]
        pub fn accept_community(&mut self) -> Result<()> {
            cold!( => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.accept_community(caller)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the successor the community offered its role to, until it accepts.
        #[ink(message)]
        pub fn get_proposed_community(&self) -> Option<AccountId> {
            cold!( => {
                self.config().proposed_community
            })
        }

        /// Query: the community contract, the only caller of the service functions.
        #[ink(message)]
        pub fn get_community_contract(&self) -> AccountId {
            cold!( => {
                self.config().community
            })
        }

        /// The community only: sets the fee in basis points, at most 2500; applies to
        /// bookings made from now on. Emits `CommunityFeeChanged`. Errors:
        /// `NotCommunity`, `FeeTooHigh`.
        #[ink(message)]
        pub fn set_community_fee(&mut self, fee_bps: cold::u16) -> Result<()> {
            cold!(fee_bps => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.set_community_fee(caller, fee_bps)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the community fee new bookings pay, in basis points.
        #[ink(message)]
        pub fn get_community_fee(&self) -> u16 {
            cold!( => {
                self.config().fee_bps
            })
        }

        /// The community only: sets what each call into the stablecoin may spend at most
        /// (no limit may be zero). A build with stable host functions only (the one
        /// Aleph Zero takes) enforces `ref_time` alone; the per-call-limits build all
        /// three. Emits `TokenCallLimitsChanged`. Errors: `NotCommunity`,
        /// `ZeroTokenCallLimit`.
        #[ink(message)]
        pub fn set_token_call_limits(&mut self, limits: cold::TokenCallLimits) -> Result<()> {
            cold!(limits => {
                let caller = self.env().caller();
                let mut rules = self.rules();
                let events = rules.set_token_call_limits(caller, limits)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: what each call into the stablecoin may spend at most.
        #[ink(message)]
        pub fn get_token_call_limits(&self) -> TokenCallLimits {
            cold!( => {
                self.config().token_call_limits
            })
        }

        /// The community only: replaces the broker's code; storage is kept, and the
        /// community runs `migrate_storage` in the same transaction. Emits
        /// `CodeUpgraded`. Errors: `NotCommunity`, `CodeUpgradeFailed`.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: cold::Hash) -> Result<()> {
            cold!(code_hash => {
                let events = self.rules().upgrade_code(self.env().caller(), code_hash)?;
                self.env()
                    .set_code_hash(&code_hash)
                    .map_err(|_| BrokerError::CodeUpgradeFailed)?;
                self.emit(events);
                Ok(())
            })
        }

        /// Anyone: brings what is stored to this build's layout, once, and pins
        /// this build's library (an instance of it keeps its code on chain).
        /// The deployment runs it after creating the broker, and the community
        /// in the transaction that swaps the code, so no other message meets
        /// an outdated layout. Emits `StorageMigrated` when it migrated; on a
        /// current layout it does nothing. Traps when the library's code is
        /// not on chain. Errors: `UnknownLayout` (a layout this build cannot
        /// read).
        #[ink(message)]
        pub fn migrate_storage(&mut self) -> Result<()> {
            match () {
                // Only the hot build knows its library, and only the library
                // carries the pinning code, so no hot message loads it.
                #[cfg(feature = "hot")]
                () => crate::split::pin_in_library(),
                // The library traps: no hot build hands this message over, so
                // only code swapped to a library would run it, and any swap to
                // a library fails here, whoever executes it.
                #[cfg(not(feature = "hot"))]
                () => hot!( => { self.migrate_layout() }),
            }
        }

        /// The library build only, and never in the metadata people read:
        /// `migrate_storage` as the hot build hands it over, with its library's
        /// code hash (this code's). Pins the library unless it was ever
        /// pinned, then migrates. Traps when the library's code is not on chain.
        #[cfg(feature = "library")]
        #[ink(message)]
        pub fn pin_and_migrate(&mut self, library: Hash) -> Result<()> {
            p2pcloud_common::split::pin_once(
                &mut self.pinned_library,
                &mut self.earlier_pins,
                library,
                || crate::split::pin_library(library),
            );
            self.migrate_layout()
        }

        /// Query: the layout the storage is in. Hot, so only a hot broker
        /// build answers it: the community asks it after a code swap.
        #[ink(message)]
        pub fn get_layout_version(&self) -> u16 {
            hot!( => {
                self.layout
            })
        }

        // ---- plumbing -------------------------------------------------------

        /// The way into the rules: the broker's state as plain Rust.
        fn rules(&self) -> BrokerData<OnChain> {
            BrokerData::new(self.config())
        }

        /// Brings the storage to this build's layout (`migrate_storage`).
        /// The library runs it, and an unsplit build (the tests').
        #[cfg(any(feature = "library", not(feature = "hot")))]
        fn migrate_layout(&mut self) -> Result<()> {
            let now = self.env().block_timestamp();
            let config = &mut self.config;
            let migrated =
                p2pcloud_common::migrate_layout(&mut self.layout, LAYOUT_VERSION, |from| {
                    crate::layout::migrate(config, from, now)
                })?;
            if let Some(event) = migrated {
                self.env().emit_event(event);
            }
            Ok(())
        }

        fn token(&self) -> CheckedToken<Psp22Contract> {
            let config = self.config();
            CheckedToken::new(
                Psp22Contract::new(config.stablecoin, config.token_call_limits),
                self.env().account_id(),
            )
        }

        /// The stored config, in this build's layout. No message reads a
        /// layout it does not know: between a `set_code` and its
        /// `migrate_storage` (which the community runs in the same
        /// transaction) every other message traps.
        fn config(&self) -> Config {
            match self.config.get() {
                Some(config) if self.layout == LAYOUT_VERSION => config,
                _ => panic!("storage layout {} is not this build's", self.layout),
            }
        }

        /// The way out of a state-changing message whose rule succeeded:
        /// keeps the config the rule left and emits the events it returned.
        /// (The rule wrote the maps itself; a message that returns an error is
        /// reverted whole, so nothing of it is kept.)
        fn commit(&mut self, rules: BrokerData<OnChain>, events: Events) {
            self.config.set(&rules.config);
            self.emit(events);
        }

        /// Emits `events`. Each build has emitting code only for the events
        /// its own messages emit: the hot build none of the cold messages'
        /// (governance, migration, `DepositedFor`), the library none of the
        /// events only hot messages emit. The embedded suites run every
        /// message of both.
        fn emit(&self, events: Events) {
            for event in events {
                match event {
                    // Hot messages and the library's migration or reports.
                    BrokerEvent::OfferRemoved(e) => self.env().emit_event(e),
                    BrokerEvent::Withdrawn(e) => self.env().emit_event(e),
                    BrokerEvent::MinerPayout(e) => self.env().emit_event(e),
                    BrokerEvent::BookingStopped(e) => self.env().emit_event(e),
                    BrokerEvent::BookingReported(e) => self.env().emit_event(e),
                    // Hot messages only.
                    #[cfg(not(feature = "library"))]
                    BrokerEvent::OfferAdded(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    BrokerEvent::OfferUpdated(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    BrokerEvent::OfferClosed(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    BrokerEvent::Deposited(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    BrokerEvent::BookingStarted(e) => self.env().emit_event(e),
                    // Cold messages only.
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::DepositedFor(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::MigrationStarted(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::StablecoinChanged(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::CommunityProposed(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::CommunityChanged(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::CommunityFeeChanged(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::CodeUpgraded(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    BrokerEvent::TokenCallLimitsChanged(e) => self.env().emit_event(e),
                    #[cfg(any(feature = "hot", feature = "library"))]
                    _ => p2pcloud_common::split::other_builds_event(),
                }
            }
        }
    }

    /// Tests of the contract shell in ink!'s off-chain engine: that messages
    /// reach the core with the real caller and time, and what they emit.
    /// Token calls cannot run off-chain; the e2e tests cover them. Not in the
    /// library's build, which traps in the hot messages they call.
    #[cfg(all(test, not(feature = "library")))]
    mod tests {
        use super::*;
        use crate::events::{BookingStarted, CommunityFeeChanged, OfferAdded};
        use ink::env::{
            test::{self, DefaultAccounts, EmittedEvent},
            DefaultEnvironment as Env, Event,
        };
        use ink::scale::Decode;
        use p2pcloud_common::testing::topic;

        fn accounts() -> DefaultAccounts<Env> {
            test::default_accounts::<Env>()
        }

        /// A broker whose community is `charlie`, called by `caller` from now on.
        fn broker_called_by(caller: AccountId) -> Broker {
            let accounts = accounts();
            let broker = Broker::new(accounts.django, accounts.charlie);
            test::set_caller::<Env>(caller);
            broker
        }

        fn last_event() -> EmittedEvent {
            test::recorded_events().last().expect("an event")
        }

        #[ink::test]
        fn constructor_sets_the_defaults() {
            let accounts = accounts();
            let broker = Broker::new(accounts.django, accounts.charlie);
            assert_eq!(broker.get_stablecoin_address(), accounts.django);
            assert_eq!(broker.get_community_contract(), accounts.charlie);
            assert_eq!(broker.get_community_fee(), DEFAULT_FEE_BPS);
        }

        #[ink::test]
        fn add_offer_emits_offer_added_with_the_miner_as_topic() {
            let miner = accounts().alice;
            let mut broker = broker_called_by(miner);
            let offer_id = broker.add_offer(2, 30, 4, [9; 32]).unwrap();
            assert_eq!(broker.get_offer(offer_id).unwrap().miner, miner);

            let event = last_event();
            let decoded = OfferAdded::decode(&mut &event.data[..]).unwrap();
            assert_eq!(
                decoded,
                OfferAdded {
                    offer_id,
                    miner,
                    vm_type_id: 2,
                    price_per_second: 30,
                    machines: 4,
                    specs: [9; 32],
                }
            );
            assert_eq!(
                event.topics,
                vec![
                    OfferAdded::SIGNATURE_TOPIC.unwrap().to_vec(),
                    topic(&miner).to_vec(),
                ]
            );
        }

        #[ink::test]
        fn offer_changes_use_the_real_caller() {
            let accounts = accounts();
            let mut broker = broker_called_by(accounts.alice);
            let offer_id = broker.add_offer(2, 30, 4, [9; 32]).unwrap();
            test::set_caller::<Env>(accounts.bob);
            assert_eq!(
                broker.update_offer(offer_id, 1, 1),
                Err(BrokerError::NotOfferOwner)
            );
            assert_eq!(
                broker.remove_offer(offer_id),
                Err(BrokerError::NotOfferOwner)
            );
            test::set_caller::<Env>(accounts.alice);
            broker.update_offer(offer_id, 1, 1).unwrap();
            let page = broker.get_miners_offers(accounts.alice, None, 10).unwrap();
            assert_eq!(page.items.len(), 1);
            assert_eq!(
                broker.get_available_offers(Some(2), None, MAX_PAGE + 1),
                Err(BrokerError::PageLimitOutOfRange)
            );
            broker.remove_offer(offer_id).unwrap();
            assert_eq!(broker.get_offer(offer_id), None);
        }

        const MAX_PAGE: u32 = p2pcloud_common::MAX_PAGE_LIMIT;

        #[ink::test]
        fn booking_without_balance_is_refused_and_emits_nothing() {
            let accounts = accounts();
            let mut broker = broker_called_by(accounts.alice);
            let offer_id = broker.add_offer(2, 30, 4, [9; 32]).unwrap();
            let events_before = test::recorded_events().count();
            test::set_caller::<Env>(accounts.bob);
            assert_eq!(
                broker.book_vm(offer_id, 30),
                Err(BrokerError::InsufficientBalance)
            );
            assert_eq!(test::recorded_events().count(), events_before);
            assert_eq!(
                broker.check_balance(accounts.bob),
                Ok(BalanceReport::default())
            );
            assert!(broker
                .get_user_bookings(accounts.bob, None, 10)
                .unwrap()
                .items
                .is_empty());
        }

        #[ink::test]
        fn service_functions_answer_to_the_community_only() {
            let accounts = accounts();
            let mut broker = broker_called_by(accounts.bob);
            assert_eq!(
                broker.set_community_fee(100),
                Err(BrokerError::NotCommunity)
            );
            assert_eq!(
                broker.set_stablecoin_address(accounts.bob),
                Err(BrokerError::NotCommunity)
            );
            assert_eq!(
                broker.set_community_contract(accounts.bob),
                Err(BrokerError::NotCommunity)
            );
            assert_eq!(
                broker.set_code(Hash::from([1; 32])),
                Err(BrokerError::NotCommunity)
            );
            assert_eq!(test::recorded_events().count(), 0);

            test::set_caller::<Env>(accounts.charlie);
            broker.set_community_fee(100).unwrap();
            assert_eq!(broker.get_community_fee(), 100);
            let event = last_event();
            assert_eq!(
                CommunityFeeChanged::decode(&mut &event.data[..]).unwrap(),
                CommunityFeeChanged {
                    old_bps: DEFAULT_FEE_BPS,
                    new_bps: 100
                }
            );
            assert_eq!(
                event.topics,
                vec![CommunityFeeChanged::SIGNATURE_TOPIC.unwrap().to_vec()]
            );
            broker.set_community_contract(accounts.eve).unwrap();
            assert_eq!(broker.get_proposed_community(), Some(accounts.eve));
            test::set_caller::<Env>(accounts.eve);
            broker.accept_community().unwrap();
            assert_eq!(broker.get_community_contract(), accounts.eve);
            test::set_caller::<Env>(accounts.charlie);
            assert_eq!(
                broker.set_community_fee(200),
                Err(BrokerError::NotCommunity)
            );
        }

        #[ink::test]
        fn miner_url_round_trips() {
            let accounts = accounts();
            let mut broker = broker_called_by(accounts.alice);
            broker.set_miner_url("wss://miner.example".into()).unwrap();
            assert_eq!(
                broker.get_miner_url(accounts.alice).as_deref(),
                Some("wss://miner.example")
            );
            assert_eq!(broker.get_miner_url(accounts.bob), None);
        }

        #[ink::test]
        fn booking_started_has_the_miner_as_its_topic_and_the_user_in_its_data() {
            // The off-chain engine cannot call a token, so this checks the
            // event's topic layout directly on an encoded value.
            let event = BookingStarted {
                booking_id: 7,
                offer_id: 3,
                user: accounts().bob,
                miner: accounts().alice,
                price_per_second: 5,
            };
            ink::env::emit_event::<Env, _>(event.clone());
            let emitted = last_event();
            assert_eq!(
                emitted.topics,
                vec![
                    BookingStarted::SIGNATURE_TOPIC.unwrap().to_vec(),
                    topic(&accounts().alice).to_vec(),
                ]
            );
            let decoded = <BookingStarted as ink::scale::Decode>::decode(&mut &emitted.data[..]);
            assert_eq!(decoded, Ok(event));
        }
    }
}
