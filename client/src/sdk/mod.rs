//! The protocol's operations for miners, users and community members on any
//! [`Chain`]: what the original project's clients reach through
//! `P2PCloudProtocolIface`, for this chain, plus the community's. Every
//! message is dry-run first: a refusal comes back as the contract's typed
//! error and nothing is submitted; a submitted message gets the dry run's
//! gas and storage deposit plus the stated margin (see `chain.rs`).
//!
//! One trait, [`P2pCloud`], whose implementation for [`Session`] hands each
//! operation to its concern: `offers`, `balances` (the stablecoin and
//! deposits), `bookings`, `governance` (the community) and, for what
//! happened, [`crate::history`]; `messages` is how every message reaches
//! the chain and `verifying` checks the code that runs.
use crate::{
    chain::{account_of, Chain, Keypair, Outcome},
    domain::{Balance, EventKind},
    history::{Filter, Record},
    protocol::Protocol,
    Error,
};
use broker::types::{BalanceReport, Booking, BookingId, Offer, OfferId, Withdrawal};
use community::types::{Action, Proposal, ProposalId, ProposalState, Release, ReleaseId};
use ink::primitives::AccountId;
use p2pcloud_common::StopReason;

mod balances;
mod bookings;
mod governance;
mod history;
mod messages;
mod offers;
mod verifying;

pub use history::read_records;

/// A stablecoin as wallets show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub address: AccountId,
    pub symbol: String,
    pub decimals: u8,
}

/// Everything a miner, a user or a community member does with the protocol.
/// Messages that change state return the chain's `Outcome` (value, events,
/// cost); queries return the value.
#[allow(async_fn_in_trait)] // implemented for concrete chains, never used as `dyn`
pub trait P2pCloud {
    /// The account that signs.
    fn account(&self) -> AccountId;

    // Miners.
    async fn add_offer(
        &mut self,
        vm_type_id: u32,
        price_per_second: Balance,
        machines: u32,
        specs: [u8; 32],
    ) -> Result<Outcome<OfferId>, Error>;
    async fn update_offer(
        &mut self,
        offer_id: OfferId,
        price_per_second: Balance,
        machines: u32,
    ) -> Result<Outcome<()>, Error>;
    async fn remove_offer(&mut self, offer_id: OfferId) -> Result<Outcome<()>, Error>;
    async fn offer(&mut self, offer_id: OfferId) -> Result<Option<Offer>, Error>;
    async fn miner_offers(&mut self, miner: AccountId) -> Result<Vec<(OfferId, Offer)>, Error>;
    async fn available_offers(
        &mut self,
        vm_type_id: Option<u32>,
    ) -> Result<Vec<(OfferId, Offer)>, Error>;
    async fn set_miner_url(&mut self, url: String) -> Result<Outcome<()>, Error>;
    async fn miner_url(&mut self, miner: AccountId) -> Result<Option<String>, Error>;
    async fn claim_payment(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error>;

    // Users.
    async fn token(&mut self) -> Result<TokenInfo, Error>;
    async fn token_balance(&mut self, account: AccountId) -> Result<Balance, Error>;
    /// Approves the broker for `amount` (unless it may take that much
    /// already) and deposits it. The broker's checks and the token balance
    /// are checked first, so a refused deposit approves nothing. Simulated,
    /// it checks those and estimates the approval.
    async fn deposit(&mut self, amount: Balance) -> Result<Outcome<()>, Error>;
    /// As `deposit`, into `account`'s balance: the signer pays, `account`
    /// alone may book with it or withdraw it.
    async fn deposit_for(
        &mut self,
        account: AccountId,
        amount: Balance,
    ) -> Result<Outcome<()>, Error>;
    /// Withdraws `amount` of the free balance and says what it took from
    /// the balance: what the token did not move stays there.
    async fn withdraw(&mut self, amount: Balance) -> Result<Outcome<Balance>, Error>;
    /// Withdraws all that is free when the call runs, at most `limit`, and
    /// says what it sent: unlike reading the free balance and withdrawing
    /// it, it cannot ask for more than a running booking has left free.
    async fn withdraw_up_to(&mut self, limit: Balance) -> Result<Outcome<Withdrawal>, Error>;
    async fn balance(&mut self, account: AccountId) -> Result<BalanceReport, Error>;
    async fn book(
        &mut self,
        offer_id: OfferId,
        max_price_per_second: Balance,
    ) -> Result<Outcome<BookingId>, Error>;
    async fn stop(
        &mut self,
        booking_id: BookingId,
        reason: StopReason,
    ) -> Result<Outcome<()>, Error>;
    /// Reports the miner of a booking that someone else ended, within 7 days
    /// of its end (`report_ended_booking`).
    async fn report_ended(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error>;
    async fn booking(&mut self, booking_id: BookingId) -> Result<Option<Booking>, Error>;
    async fn user_bookings(&mut self, user: AccountId) -> Result<Vec<(BookingId, Booking)>, Error>;
    async fn miner_bookings(
        &mut self,
        miner: AccountId,
    ) -> Result<Vec<(BookingId, Booking)>, Error>;

    // The protocol.
    async fn community_contract(&mut self) -> Result<AccountId, Error>;
    async fn community_fee_bps(&mut self) -> Result<u16, Error>;
    /// The chain's time in milliseconds, as the contracts see it.
    async fn now(&mut self) -> Result<u64, Error>;
    /// The broker's payments, stops and complaints that `filter` wants,
    /// oldest first, read from the chain's finalized blocks: by default the
    /// last `MAX_SCANNED_BLOCKS` of them, and never a longer range (an
    /// indexer answers the same `Filter` over the whole chain).
    async fn broker_events(&mut self, filter: &Filter) -> Result<Vec<Record>, Error>;
    /// The complaints (`BookingReported`) `filter` wants, as `broker_events`.
    async fn complaints(&mut self, filter: &Filter) -> Result<Vec<Record>, Error> {
        let complaints = Filter {
            kind: Some(EventKind::Complaint),
            ..filter.clone()
        };
        self.broker_events(&complaints).await
    }
    /// The payments to miners (`MinerPayout`) `filter` wants, as `broker_events`:
    /// settlements of bookings that went on. A stop's own settlement is in
    /// its stop record (`paid_amount`, `paid_seconds`).
    async fn payments(&mut self, filter: &Filter) -> Result<Vec<Record>, Error> {
        let payments = Filter {
            kind: Some(EventKind::Payment),
            ..filter.clone()
        };
        self.broker_events(&payments).await
    }

    // Community members.
    async fn propose(
        &mut self,
        action: Action,
        description: String,
    ) -> Result<Outcome<ProposalId>, Error>;
    async fn vote(&mut self, proposal_id: ProposalId, yes: bool) -> Result<Outcome<()>, Error>;
    async fn execute(&mut self, proposal_id: ProposalId) -> Result<Outcome<()>, Error>;
    async fn proposal(
        &mut self,
        proposal_id: ProposalId,
    ) -> Result<Option<(Proposal, ProposalState)>, Error>;
    async fn collect_fees(&mut self) -> Result<Outcome<()>, Error>;
    async fn claimable(&mut self, account: AccountId) -> Result<Balance, Error>;
    /// Claims the signer's share of the current fee book, after sharing
    /// what the community holds unshared, if it does (`share_surplus`);
    /// answers what was paid.
    async fn claim_share(&mut self) -> Result<Outcome<Balance>, Error>;
    /// What `account` could claim now from the closed fee book `book`.
    async fn closed_claimable(&mut self, book: u32, account: AccountId) -> Result<Balance, Error>;
    /// Claims the signer's share of the closed fee book `book`, in its token.
    async fn claim_closed_share(&mut self, book: u32) -> Result<Outcome<()>, Error>;
    async fn releases(&mut self) -> Result<Vec<(ReleaseId, Release)>, Error>;
}

/// One signer's session with a deployed protocol on `chain`.
pub struct Session<C: Chain> {
    pub chain: C,
    pub protocol: Protocol,
    signer: Keypair,
    /// Only simulate: every message is dry-run and nothing is submitted.
    simulate: bool,
}

impl<C: Chain> Session<C> {
    pub fn new(chain: C, protocol: Protocol, signer: Keypair) -> Self {
        Self {
            chain,
            protocol,
            signer,
            simulate: false,
        }
    }

    /// Dry-runs every message instead of submitting it (`--dry-run`).
    pub fn simulate(mut self, simulate: bool) -> Self {
        self.simulate = simulate;
        self
    }
}

impl<C: Chain> P2pCloud for Session<C> {
    fn account(&self) -> AccountId {
        account_of(&self.signer)
    }

    async fn add_offer(
        &mut self,
        vm_type_id: u32,
        price_per_second: Balance,
        machines: u32,
        specs: [u8; 32],
    ) -> Result<Outcome<OfferId>, Error> {
        offers::add(self, vm_type_id, price_per_second, machines, specs).await
    }

    async fn update_offer(
        &mut self,
        offer_id: OfferId,
        price_per_second: Balance,
        machines: u32,
    ) -> Result<Outcome<()>, Error> {
        offers::update(self, offer_id, price_per_second, machines).await
    }

    async fn remove_offer(&mut self, offer_id: OfferId) -> Result<Outcome<()>, Error> {
        offers::remove(self, offer_id).await
    }

    async fn offer(&mut self, offer_id: OfferId) -> Result<Option<Offer>, Error> {
        offers::get(self, offer_id).await
    }

    async fn miner_offers(&mut self, miner: AccountId) -> Result<Vec<(OfferId, Offer)>, Error> {
        offers::of_miner(self, miner).await
    }

    async fn available_offers(
        &mut self,
        vm_type_id: Option<u32>,
    ) -> Result<Vec<(OfferId, Offer)>, Error> {
        offers::available(self, vm_type_id).await
    }

    async fn set_miner_url(&mut self, url: String) -> Result<Outcome<()>, Error> {
        offers::set_miner_url(self, url).await
    }

    async fn miner_url(&mut self, miner: AccountId) -> Result<Option<String>, Error> {
        offers::miner_url(self, miner).await
    }

    async fn claim_payment(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error> {
        bookings::claim_payment(self, booking_id).await
    }

    async fn token(&mut self) -> Result<TokenInfo, Error> {
        balances::token(self).await
    }

    async fn token_balance(&mut self, account: AccountId) -> Result<Balance, Error> {
        balances::token_balance(self, account).await
    }

    async fn deposit(&mut self, amount: Balance) -> Result<Outcome<()>, Error> {
        balances::deposit(self, amount).await
    }

    async fn deposit_for(
        &mut self,
        account: AccountId,
        amount: Balance,
    ) -> Result<Outcome<()>, Error> {
        balances::deposit_for(self, account, amount).await
    }

    async fn withdraw(&mut self, amount: Balance) -> Result<Outcome<Balance>, Error> {
        balances::withdraw(self, amount).await
    }

    async fn withdraw_up_to(&mut self, limit: Balance) -> Result<Outcome<Withdrawal>, Error> {
        balances::withdraw_up_to(self, limit).await
    }

    async fn balance(&mut self, account: AccountId) -> Result<BalanceReport, Error> {
        balances::report(self, account).await
    }

    async fn book(
        &mut self,
        offer_id: OfferId,
        max_price_per_second: Balance,
    ) -> Result<Outcome<BookingId>, Error> {
        bookings::book(self, offer_id, max_price_per_second).await
    }

    async fn stop(
        &mut self,
        booking_id: BookingId,
        reason: StopReason,
    ) -> Result<Outcome<()>, Error> {
        bookings::stop(self, booking_id, reason).await
    }

    async fn report_ended(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error> {
        bookings::report_ended(self, booking_id).await
    }

    async fn booking(&mut self, booking_id: BookingId) -> Result<Option<Booking>, Error> {
        bookings::get(self, booking_id).await
    }

    async fn user_bookings(&mut self, user: AccountId) -> Result<Vec<(BookingId, Booking)>, Error> {
        bookings::of_user(self, user).await
    }

    async fn miner_bookings(
        &mut self,
        miner: AccountId,
    ) -> Result<Vec<(BookingId, Booking)>, Error> {
        bookings::of_miner(self, miner).await
    }

    async fn community_contract(&mut self) -> Result<AccountId, Error> {
        governance::community_contract(self).await
    }

    async fn community_fee_bps(&mut self) -> Result<u16, Error> {
        governance::fee_bps(self).await
    }

    async fn now(&mut self) -> Result<u64, Error> {
        Ok(self.chain.now().await?)
    }

    async fn broker_events(&mut self, filter: &Filter) -> Result<Vec<Record>, Error> {
        read_records(&mut self.chain, self.protocol.broker_id, filter).await
    }

    async fn propose(
        &mut self,
        action: Action,
        description: String,
    ) -> Result<Outcome<ProposalId>, Error> {
        governance::propose(self, action, description).await
    }

    async fn vote(&mut self, proposal_id: ProposalId, yes: bool) -> Result<Outcome<()>, Error> {
        governance::vote(self, proposal_id, yes).await
    }

    async fn execute(&mut self, proposal_id: ProposalId) -> Result<Outcome<()>, Error> {
        governance::execute(self, proposal_id).await
    }

    async fn proposal(
        &mut self,
        proposal_id: ProposalId,
    ) -> Result<Option<(Proposal, ProposalState)>, Error> {
        governance::proposal(self, proposal_id).await
    }

    async fn collect_fees(&mut self) -> Result<Outcome<()>, Error> {
        governance::collect_fees(self).await
    }

    async fn claimable(&mut self, account: AccountId) -> Result<Balance, Error> {
        governance::claimable(self, account).await
    }

    async fn claim_share(&mut self) -> Result<Outcome<Balance>, Error> {
        governance::claim_share(self).await
    }

    async fn closed_claimable(&mut self, book: u32, account: AccountId) -> Result<Balance, Error> {
        governance::closed_claimable(self, book, account).await
    }

    async fn claim_closed_share(&mut self, book: u32) -> Result<Outcome<()>, Error> {
        governance::claim_closed_share(self, book).await
    }

    async fn releases(&mut self) -> Result<Vec<(ReleaseId, Release)>, Error> {
        governance::releases(self).await
    }
}
