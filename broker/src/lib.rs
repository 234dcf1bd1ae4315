//! The p2pcloud broker: miners offer VMs, users deposit a PSP22 stablecoin and
//! book them, miners claim what accrued, the community takes a fee and governs.
//!
//! The rules live in [`data`] as plain Rust; this contract only reads the caller
//! and the time, calls the token, swaps code and emits what the rules return.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod events;
pub mod lists;
#[cfg(feature = "std")]
pub mod memory;
pub mod onchain;
pub mod types;

#[cfg(test)]
mod tests;

pub use p2pcloud_common::{BrokerError, Page, StopReason};

#[ink::contract]
mod broker {
    use crate::{
        data::{BrokerData, Events},
        events::BrokerEvent,
        onchain::OnChain,
        types::*,
    };
    use ink::prelude::string::String;
    use p2pcloud_common::{BrokerError, CheckedToken, Page, Psp22Contract};

    type Result<T> = core::result::Result<T, BrokerError>;

    #[ink(storage)]
    pub struct Broker {
        config: Config,
    }

    impl Broker {
        /// `community` is the community contract (or, before it exists, the
        /// account that will hand over to it with `set_community_contract`).
        #[ink(constructor)]
        pub fn new(stablecoin: AccountId, community: AccountId) -> Self {
            Self {
                config: Config::new(stablecoin, community),
            }
        }

        // ---- offers ---------------------------------------------------------

        #[ink(message)]
        pub fn add_offer(
            &mut self,
            vm_type_id: u32,
            price_per_second: Balance,
            machines: u32,
            specs: [u8; 32],
        ) -> Result<OfferId> {
            let caller = self.env().caller();
            self.apply(|data| data.add_offer(caller, vm_type_id, price_per_second, machines, specs))
        }

        #[ink(message)]
        pub fn update_offer(
            &mut self,
            offer_id: OfferId,
            price_per_second: Balance,
            machines: u32,
        ) -> Result<()> {
            let caller = self.env().caller();
            self.apply_unit(|data| data.update_offer(caller, offer_id, price_per_second, machines))
        }

        #[ink(message)]
        pub fn remove_offer(&mut self, offer_id: OfferId) -> Result<()> {
            let caller = self.env().caller();
            self.apply_unit(|data| data.remove_offer(caller, offer_id))
        }

        #[ink(message)]
        pub fn get_offer(&self, offer_id: OfferId) -> Option<Offer> {
            self.data().offer(offer_id)
        }

        /// A page of `miner`'s offers, oldest first, from `cursor` (an offer id).
        #[ink(message)]
        pub fn get_miners_offers(
            &self,
            miner: AccountId,
            cursor: Option<OfferId>,
            limit: u32,
        ) -> Result<Page<OfferId, Offer>> {
            self.data().miners_offers(miner, cursor, limit)
        }

        /// A page of offers with a free machine, of one VM type or of any.
        #[ink(message)]
        pub fn get_available_offers(
            &self,
            vm_type_id: Option<u32>,
            cursor: Option<OfferId>,
            limit: u32,
        ) -> Result<Page<OfferId, Offer>> {
            self.data().available_offers(vm_type_id, cursor, limit)
        }

        #[ink(message)]
        pub fn set_miner_url(&mut self, url: String) -> Result<()> {
            let caller = self.env().caller();
            self.data().set_miner_url(caller, url)
        }

        #[ink(message)]
        pub fn get_miner_url(&self, miner: AccountId) -> Option<String> {
            self.data().miner_url(miner)
        }

        // ---- balances -------------------------------------------------------

        /// Pulls `amount` of the stablecoin from the caller (approve it first).
        #[ink(message)]
        pub fn deposit_coin(&mut self, amount: Balance) -> Result<()> {
            let caller = self.env().caller();
            let mut token = self.token();
            self.apply_unit(|data| data.deposit(&mut token, caller, amount))
        }

        /// `(free, locked)` of `account` right now.
        #[ink(message)]
        pub fn check_balance(&self, account: AccountId) -> (Balance, Balance) {
            self.data()
                .check_balance(account, self.env().block_timestamp())
        }

        /// Sends up to the caller's free balance back to the caller.
        #[ink(message)]
        pub fn withdraw_coin(&mut self, amount: Balance) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut token = self.token();
            self.apply_unit(|data| data.withdraw(&mut token, caller, amount, now))
        }

        // ---- bookings -------------------------------------------------------

        #[ink(message)]
        pub fn book_vm(&mut self, offer_id: OfferId) -> Result<BookingId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            self.apply(|data| data.book_vm(caller, offer_id, now))
        }

        #[ink(message)]
        pub fn claim_payment(&mut self, booking_id: BookingId) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            self.apply_unit(|data| data.claim_payment(caller, booking_id, now))
        }

        #[ink(message)]
        pub fn stop_booking(&mut self, booking_id: BookingId, reason: StopReason) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            self.apply_unit(|data| data.stop_booking(caller, booking_id, reason, now))
        }

        #[ink(message)]
        pub fn get_booking(&self, booking_id: BookingId) -> Option<Booking> {
            self.data().booking(booking_id)
        }

        /// A page of `user`'s active bookings, oldest first.
        #[ink(message)]
        pub fn get_user_bookings(
            &self,
            user: AccountId,
            cursor: Option<BookingId>,
            limit: u32,
        ) -> Result<Page<BookingId, Booking>> {
            self.data().user_bookings(user, cursor, limit)
        }

        /// A page of `miner`'s active bookings, oldest first.
        #[ink(message)]
        pub fn get_miner_bookings(
            &self,
            miner: AccountId,
            cursor: Option<BookingId>,
            limit: u32,
        ) -> Result<Page<BookingId, Booking>> {
            self.data().miner_bookings(miner, cursor, limit)
        }

        // ---- service functions ----------------------------------------------

        #[ink(message)]
        pub fn set_stablecoin_address(&mut self, stablecoin: AccountId) -> Result<()> {
            let caller = self.env().caller();
            self.apply_unit(|data| data.set_stablecoin(caller, stablecoin))
        }

        #[ink(message)]
        pub fn get_stablecoin_address(&self) -> AccountId {
            self.config.stablecoin
        }

        #[ink(message)]
        pub fn set_community_contract(&mut self, community: AccountId) -> Result<()> {
            let caller = self.env().caller();
            self.apply_unit(|data| data.set_community(caller, community))
        }

        #[ink(message)]
        pub fn get_community_contract(&self) -> AccountId {
            self.config.community
        }

        /// In basis points, at most 2500; applies to bookings made from now on.
        #[ink(message)]
        pub fn set_community_fee(&mut self, fee_bps: u16) -> Result<()> {
            let caller = self.env().caller();
            self.apply_unit(|data| data.set_community_fee(caller, fee_bps))
        }

        #[ink(message)]
        pub fn get_community_fee(&self) -> u16 {
            self.config.fee_bps
        }

        /// Replaces the broker's code; storage is kept.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: Hash) -> Result<()> {
            let events = self.data().upgrade_code(self.env().caller(), code_hash)?;
            self.env()
                .set_code_hash(&code_hash)
                .map_err(|_| BrokerError::CodeUpgradeFailed)?;
            self.emit(events);
            Ok(())
        }

        // ---- plumbing -------------------------------------------------------

        fn data(&self) -> BrokerData<OnChain> {
            BrokerData::new(self.config.clone())
        }

        fn token(&self) -> CheckedToken<Psp22Contract> {
            CheckedToken::new(
                Psp22Contract::new(self.config.stablecoin),
                self.env().account_id(),
            )
        }

        /// Runs a core operation; on success keeps its config and emits its events.
        fn apply<T>(
            &mut self,
            operation: impl FnOnce(&mut BrokerData<OnChain>) -> Result<(T, Events)>,
        ) -> Result<T> {
            let mut data = self.data();
            let (value, events) = operation(&mut data)?;
            self.config = data.config;
            self.emit(events);
            Ok(value)
        }

        fn apply_unit(
            &mut self,
            operation: impl FnOnce(&mut BrokerData<OnChain>) -> Result<Events>,
        ) -> Result<()> {
            self.apply(|data| operation(data).map(|events| ((), events)))
        }

        fn emit(&self, events: Events) {
            for event in events {
                match event {
                    BrokerEvent::OfferAdded(e) => self.env().emit_event(e),
                    BrokerEvent::OfferUpdated(e) => self.env().emit_event(e),
                    BrokerEvent::OfferRemoved(e) => self.env().emit_event(e),
                    BrokerEvent::Deposited(e) => self.env().emit_event(e),
                    BrokerEvent::Withdrawn(e) => self.env().emit_event(e),
                    BrokerEvent::BookingStarted(e) => self.env().emit_event(e),
                    BrokerEvent::MinerPayout(e) => self.env().emit_event(e),
                    BrokerEvent::BookingStopped(e) => self.env().emit_event(e),
                    BrokerEvent::BookingReported(e) => self.env().emit_event(e),
                    BrokerEvent::StablecoinChanged(e) => self.env().emit_event(e),
                    BrokerEvent::CommunityChanged(e) => self.env().emit_event(e),
                    BrokerEvent::CommunityFeeChanged(e) => self.env().emit_event(e),
                    BrokerEvent::CodeUpgraded(e) => self.env().emit_event(e),
                }
            }
        }
    }
}
