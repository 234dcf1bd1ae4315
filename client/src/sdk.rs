//! The protocol's operations for miners, users and community members on any
//! [`Chain`]: what the original project's clients reach through
//! `P2PCloudProtocolIface`, for this chain, plus the community's. Every
//! message is dry-run first: a refusal comes back as the contract's typed
//! error and nothing is submitted; a submitted message gets the dry run's
//! gas and storage deposit plus the stated margin (see `chain.rs`).
use crate::{
    chain::{account_of, Chain, Env, Keypair, Message, Outcome},
    domain::{decode, Balance, EventKind},
    history::{read_records, Filter, Record},
    protocol::Protocol,
    Error,
};
use broker::{
    events::{BookingStarted, OfferAdded},
    types::{BalanceReport, Booking, BookingId, Offer, OfferId},
    BrokerError,
};
use community::events::ProposalCreated;
use community::types::{Action, Proposal, ProposalId, ProposalState, Release, ReleaseId};
use ink::{codegen::TraitCallBuilder, env::call::FromAccountId, primitives::AccountId};
use p2pcloud_common::{Page, StopReason, MAX_PAGE_LIMIT};
use psp22::{PSP22Error, PSP22Metadata, PSP22Mintable, PSP22};
use scale::{Decode, Encode};

mod verifying;

type TokenCalls = ink::contract_ref!(PSP22, Env);
type TokenMetadataCalls = ink::contract_ref!(PSP22Metadata, Env);
type MintableCalls = ink::contract_ref!(PSP22Mintable, Env);

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
    async fn withdraw(&mut self, amount: Balance) -> Result<Outcome<()>, Error>;
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
    /// The payments to miners (`MinerPayout`) `filter` wants, as `broker_events`.
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
    async fn claim_share(&mut self) -> Result<Outcome<()>, Error>;
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

    /// Dry-runs `message`; submits it unless it is refused or the session
    /// only simulates.
    async fn send<Args, T, E>(
        &mut self,
        message: &Message<Args, Result<T, E>>,
    ) -> Result<Outcome<T>, Error>
    where
        Args: Encode + Clone + Sync,
        T: Decode + Send,
        E: Decode + Send + Into<Error>,
    {
        let (answer, cost) = self.chain.estimate(&self.signer, message).await?;
        let value = answer.map_err(Into::into)?;
        if self.simulate {
            return Ok(Outcome {
                value,
                events: Vec::new(),
                cost,
            });
        }
        let outcome = self.chain.call(&self.signer, message).await?;
        Ok(Outcome {
            value: outcome.value.map_err(Into::into)?,
            events: outcome.events,
            cost: outcome.cost,
        })
    }

    /// The id a submitted message allocated, from its event `E`: the dry
    /// run's answer may be stale if another transaction landed first. A
    /// simulation keeps the dry run's answer.
    fn allocated<Id, E: ink::env::Event + Decode>(
        &self,
        sent: Outcome<Id>,
        id_of: impl Fn(E) -> Id,
    ) -> Result<Outcome<Id>, Error> {
        if self.simulate {
            return Ok(sent);
        }
        let event =
            sent.events.iter().find_map(decode::<E>).ok_or_else(|| {
                Error::Unexpected("the message emitted no event with its id".into())
            })?;
        Ok(Outcome {
            value: id_of(event),
            events: sent.events,
            cost: sent.cost,
        })
    }

    async fn query<Args, R>(&mut self, message: &Message<Args, R>) -> Result<R, Error>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        Ok(self.chain.query(&self.signer, message).await?)
    }

    /// Sends a message that pulls `amount` from the signer into the broker
    /// (`deposit_coin`, `deposit_for`), approving the broker first.
    async fn pay_in<Args>(
        &mut self,
        message: &Message<Args, Result<(), BrokerError>>,
        amount: Balance,
    ) -> Result<Outcome<()>, Error>
    where
        Args: Encode + Clone + Sync,
    {
        // Every check that can refuse the deposit runs before the approval,
        // so a refused deposit leaves no allowance behind. Without the
        // allowance the dry run can only fail at the token.
        match self.query(message).await? {
            Ok(())
            | Err(
                BrokerError::TokenCallFailed
                | BrokerError::TokenTransferRejected
                | BrokerError::TokenBalanceMismatch,
            ) => {}
            Err(refused) => return Err(refused.into()),
        }
        let me = self.account();
        if self.token_balance(me).await? < amount {
            return Err(Error::Token(PSP22Error::InsufficientBalance));
        }
        let (_, mut token): (_, TokenCalls) = self.stablecoin().await?;
        let broker_id = self.protocol.broker_id;
        let allowance = self.query(&token.call().allowance(me, broker_id)).await?;
        if allowance < amount {
            let approved = self
                .send(&token.call_mut().approve(broker_id, amount))
                .await?;
            if self.simulate {
                // The deposit's own dry run needs the approval on chain.
                return Ok(approved);
            }
        }
        self.send(message).await
    }

    /// Every item of a paged getter, page by page.
    async fn all_pages<Id, T, Args, E>(
        &mut self,
        page: impl Fn(Option<Id>) -> Message<Args, Result<Page<Id, T>, E>>,
    ) -> Result<Vec<(Id, T)>, Error>
    where
        Id: Decode + Send + Copy,
        T: Decode + Send,
        Args: Encode + Clone + Sync,
        E: Decode + Send + Into<Error>,
    {
        let mut items = Vec::new();
        let mut cursor = None;
        loop {
            let next = self.query(&page(cursor)).await?.map_err(Into::into)?;
            items.extend(next.items);
            match next.next {
                Some(id) => cursor = Some(id),
                None => return Ok(items),
            }
        }
    }

    /// Mints `amount` of the stablecoin to the signer: psp22-mock and other
    /// tokens with an open `PSP22Mintable::mint` only, for test chains.
    pub async fn mint(&mut self, amount: Balance) -> Result<Outcome<()>, Error> {
        let (_, mut token): (_, MintableCalls) = self.stablecoin().await?;
        self.send(&token.call_mut().mint(amount)).await
    }

    /// The broker's stablecoin: its address and a builder of its calls
    /// through one of the PSP22 traits (`T`).
    async fn stablecoin<T: FromAccountId<Env>>(&mut self) -> Result<(AccountId, T), Error> {
        let address = self
            .query(&self.protocol.broker.get_stablecoin_address())
            .await?;
        Ok((address, T::from_account_id(address)))
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
        let message = self
            .protocol
            .broker
            .add_offer(vm_type_id, price_per_second, machines, specs);
        let sent = self.send(&message).await?;
        self.allocated(sent, |added: OfferAdded| added.offer_id)
    }

    async fn update_offer(
        &mut self,
        offer_id: OfferId,
        price_per_second: Balance,
        machines: u32,
    ) -> Result<Outcome<()>, Error> {
        let message = self
            .protocol
            .broker
            .update_offer(offer_id, price_per_second, machines);
        self.send(&message).await
    }

    async fn remove_offer(&mut self, offer_id: OfferId) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.remove_offer(offer_id);
        self.send(&message).await
    }

    async fn offer(&mut self, offer_id: OfferId) -> Result<Option<Offer>, Error> {
        let message = self.protocol.broker.get_offer(offer_id);
        self.query(&message).await
    }

    async fn miner_offers(&mut self, miner: AccountId) -> Result<Vec<(OfferId, Offer)>, Error> {
        let broker = self.protocol.broker.clone();
        self.all_pages(|cursor| broker.get_miners_offers(miner, cursor, MAX_PAGE_LIMIT))
            .await
    }

    async fn available_offers(
        &mut self,
        vm_type_id: Option<u32>,
    ) -> Result<Vec<(OfferId, Offer)>, Error> {
        let broker = self.protocol.broker.clone();
        self.all_pages(|cursor| broker.get_available_offers(vm_type_id, cursor, MAX_PAGE_LIMIT))
            .await
    }

    async fn set_miner_url(&mut self, url: String) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.set_miner_url(url);
        self.send(&message).await
    }

    async fn miner_url(&mut self, miner: AccountId) -> Result<Option<String>, Error> {
        let message = self.protocol.broker.get_miner_url(miner);
        self.query(&message).await
    }

    async fn claim_payment(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error> {
        // A claim dry-run on a block less than a second after the last payment
        // takes the broker's cheap path (nothing to pay), so its gas estimate
        // would not cover the paying path the submitted claim takes one block
        // later (measured: OutOfGas). Such a claim would pay nothing anyway.
        let booking = self
            .booking(booking_id)
            .await?
            .ok_or(Error::Broker(BrokerError::UnknownBooking))?;
        let now = self.chain.now().await?;
        if now.saturating_sub(booking.last_payment) < 1_000 {
            return Err(Error::NothingAccrued);
        }
        let message = self.protocol.broker.claim_payment(booking_id);
        self.send(&message).await
    }

    async fn token(&mut self) -> Result<TokenInfo, Error> {
        let (address, metadata): (_, TokenMetadataCalls) = self.stablecoin().await?;
        Ok(TokenInfo {
            address,
            symbol: self
                .query(&metadata.call().token_symbol())
                .await?
                .unwrap_or_else(|| "units".into()),
            decimals: self.query(&metadata.call().token_decimals()).await?,
        })
    }

    async fn token_balance(&mut self, account: AccountId) -> Result<Balance, Error> {
        let (_, token): (_, TokenCalls) = self.stablecoin().await?;
        self.query(&token.call().balance_of(account)).await
    }

    async fn deposit(&mut self, amount: Balance) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.deposit_coin(amount);
        self.pay_in(&message, amount).await
    }

    async fn deposit_for(
        &mut self,
        account: AccountId,
        amount: Balance,
    ) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.deposit_for(account, amount);
        self.pay_in(&message, amount).await
    }

    async fn withdraw(&mut self, amount: Balance) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.withdraw_coin(amount);
        self.send(&message).await
    }

    async fn balance(&mut self, account: AccountId) -> Result<BalanceReport, Error> {
        let message = self.protocol.broker.check_balance(account);
        Ok(self.query(&message).await??)
    }

    async fn book(
        &mut self,
        offer_id: OfferId,
        max_price_per_second: Balance,
    ) -> Result<Outcome<BookingId>, Error> {
        let message = self.protocol.broker.book_vm(offer_id, max_price_per_second);
        let sent = self.send(&message).await?;
        self.allocated(sent, |started: BookingStarted| started.booking_id)
    }

    async fn stop(
        &mut self,
        booking_id: BookingId,
        reason: StopReason,
    ) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.stop_booking(booking_id, reason);
        self.send(&message).await
    }

    async fn report_ended(&mut self, booking_id: BookingId) -> Result<Outcome<()>, Error> {
        let message = self.protocol.broker.report_ended_booking(booking_id);
        self.send(&message).await
    }

    async fn booking(&mut self, booking_id: BookingId) -> Result<Option<Booking>, Error> {
        let message = self.protocol.broker.get_booking(booking_id);
        self.query(&message).await
    }

    async fn user_bookings(&mut self, user: AccountId) -> Result<Vec<(BookingId, Booking)>, Error> {
        let broker = self.protocol.broker.clone();
        self.all_pages(|cursor| broker.get_user_bookings(user, cursor, MAX_PAGE_LIMIT))
            .await
    }

    async fn miner_bookings(
        &mut self,
        miner: AccountId,
    ) -> Result<Vec<(BookingId, Booking)>, Error> {
        let broker = self.protocol.broker.clone();
        self.all_pages(|cursor| broker.get_miner_bookings(miner, cursor, MAX_PAGE_LIMIT))
            .await
    }

    async fn community_contract(&mut self) -> Result<AccountId, Error> {
        let message = self.protocol.broker.get_community_contract();
        self.query(&message).await
    }

    async fn community_fee_bps(&mut self) -> Result<u16, Error> {
        let message = self.protocol.broker.get_community_fee();
        self.query(&message).await
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
        let message = self.protocol.community.propose(action, description);
        let sent = self.send(&message).await?;
        self.allocated(sent, |created: ProposalCreated| created.proposal_id)
    }

    async fn vote(&mut self, proposal_id: ProposalId, yes: bool) -> Result<Outcome<()>, Error> {
        let message = self.protocol.community.vote(proposal_id, yes);
        self.send(&message).await
    }

    async fn execute(&mut self, proposal_id: ProposalId) -> Result<Outcome<()>, Error> {
        let message = self.protocol.community.execute(proposal_id);
        self.send(&message).await
    }

    async fn proposal(
        &mut self,
        proposal_id: ProposalId,
    ) -> Result<Option<(Proposal, ProposalState)>, Error> {
        let proposal = self
            .query(&self.protocol.community.get_proposal(proposal_id))
            .await?;
        let state = self
            .query(&self.protocol.community.get_proposal_state(proposal_id))
            .await?;
        Ok(proposal.zip(state))
    }

    async fn collect_fees(&mut self) -> Result<Outcome<()>, Error> {
        let message = self.protocol.community.collect_fees();
        self.send(&message).await
    }

    async fn claimable(&mut self, account: AccountId) -> Result<Balance, Error> {
        let message = self.protocol.community.get_claimable(account);
        self.query(&message).await
    }

    async fn claim_share(&mut self) -> Result<Outcome<()>, Error> {
        let message = self.protocol.community.claim_share();
        self.send(&message).await
    }

    async fn closed_claimable(&mut self, book: u32, account: AccountId) -> Result<Balance, Error> {
        let message = self.protocol.community.get_closed_claimable(book, account);
        self.query(&message).await
    }

    async fn claim_closed_share(&mut self, book: u32) -> Result<Outcome<()>, Error> {
        let message = self.protocol.community.claim_closed_share(book);
        self.send(&message).await
    }

    async fn releases(&mut self) -> Result<Vec<(ReleaseId, Release)>, Error> {
        let community = self.protocol.community.clone();
        self.all_pages(|cursor| community.get_releases(cursor, MAX_PAGE_LIMIT))
            .await
    }
}

impl From<PSP22Error> for Error {
    fn from(error: PSP22Error) -> Self {
        Self::Token(error)
    }
}
