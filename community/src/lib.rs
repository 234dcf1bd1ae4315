//! The p2pcloud community: members with voting weights govern the broker
//! (fee, stablecoin, hand-over, code upgrades, terminating bookings), approve
//! protocol and SDK releases, and share the fees the broker collects for them.
//!
//! The rules live in [`data`] as plain Rust; this contract reads the caller and
//! the time, calls the broker and the token, and emits what the rules return.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
// cargo-contract's lint step builds every feature at once, `hot` and
// `library` together, where every message body is a hand-off and the rules
// go unused; no bundle is built that way.
#![cfg_attr(all(feature = "hot", feature = "library"), allow(dead_code))]

mod calls;
pub mod data;
pub mod errors;
pub mod events;
mod fees;
pub mod layout;
#[cfg(feature = "std")]
pub mod memory;
pub mod onchain;
mod proposals;
mod split;
pub mod types;

#[cfg(test)]
mod tests;

pub use self::community::{Community, CommunityRef};
pub use errors::CommunityError;

#[ink::contract]
mod community {
    use crate::{
        calls::{self, CallFailed, Message},
        data::{BrokerPort, CommunityData, Events, FeeTokens, FeesWithdrawn, NoBrokerYet},
        events::CommunityEvent,
        layout::{EarlierPins, PinnedLibrary, StoredConfig, LAYOUT_VERSION},
        onchain::OnChain,
        split::{cold, hot},
        types::*,
        CommunityError,
    };
    use broker::BrokerRef;
    use ink::{codegen::TraitCallBuilder, env::call::FromAccountId, prelude::vec::Vec, scale};
    use p2pcloud_common::{
        BrokerError, CheckedToken, Page, Psp22Api, Psp22Contract, StopReason, Token,
        TokenCallLimits,
    };

    type Result<T> = core::result::Result<T, CommunityError>;

    #[ink(storage)]
    pub struct Community {
        /// The layout everything else is stored in, as `LAYOUT_VERSION`
        /// numbers them. The only field read eagerly, so every build can read
        /// it, whatever layout the rest is in.
        layout: u16,
        config: StoredConfig,
        /// The library this community's pin keeps on chain (the hot build's
        /// `split::LIBRARY` once pinned), so a code swap pins its new library
        /// once.
        pinned_library: PinnedLibrary,
        /// The libraries pinned before `pinned_library`, whose pins still
        /// run: a swap back to their code pins nothing.
        earlier_pins: EarlierPins,
    }

    impl Community {
        /// Anyone: instantiates the community for a broker it creates later, with
        /// `create_broker`, from the uploaded `broker_code_hash` and `stablecoin`.
        /// Creating the broker apart keeps this instantiation's only `Instantiated` event
        /// the community's own, so Contracts UI and @polkadot/api-contract show the
        /// community's address; both arguments are fixed here, so no trusted step is
        /// left. Errors: as `adopt`.
        #[ink(constructor)]
        pub fn new(
            members: Vec<(AccountId, Weight)>,
            rules: VotingRules,
            broker_code_hash: Hash,
            stablecoin: AccountId,
        ) -> Result<Self> {
            let plan = BrokerLink::Planned {
                code_hash: broker_code_hash,
                stablecoin,
            };
            Self::with_broker(members, rules, plan, stablecoin)
        }

        /// Anyone: a community for an existing broker: the successor in a migration,
        /// which governs once the current community offers it the broker
        /// (`SetCommunityContract`) and this one accepts (`AcceptCommunity`). Errors:
        /// `NoMembers`, `TooManyMembers`, `ZeroWeight`, `AlreadyMember`,
        /// `ContractAsMember`, `QuorumOutOfRange`, `ZeroVotingPeriod`,
        /// `VotingPeriodTooLong`, `ZeroExecutionPeriod`, `WeightTooHigh` (weights summing
        /// past 2^32), `BrokerCallFailed` (`broker` answered no stablecoin).
        #[ink(constructor)]
        pub fn adopt(
            members: Vec<(AccountId, Weight)>,
            rules: VotingRules,
            broker: AccountId,
        ) -> Result<Self> {
            let stablecoin = stablecoin_of(broker)?;
            Self::with_broker(members, rules, BrokerLink::At(broker), stablecoin)
        }

        fn with_broker(
            members: Vec<(AccountId, Weight)>,
            rules: VotingRules,
            broker: BrokerLink,
            fee_token: AccountId,
        ) -> Result<Self> {
            let this = Self::env().account_id();
            let data = CommunityData::<OnChain>::new(this, &members, rules, broker, fee_token)?;
            let mut community = Self {
                layout: LAYOUT_VERSION,
                config: Default::default(),
                pinned_library: Default::default(),
                earlier_pins: Default::default(),
            };
            community.config.set(&data.config);
            // Not pinned here, as the broker is not (its constructor says
            // why): `migrate_storage` pins.
            Ok(community)
        }

        /// The library build only: the library's pin, an instance that keeps
        /// its code on chain for the communities that run it. It has no
        /// config, so its messages trap (`migrate_storage` finds nothing to
        /// do) and no caller can change its code.
        #[cfg(feature = "library")]
        #[ink(constructor)]
        pub fn pin() -> Self {
            Self {
                layout: LAYOUT_VERSION,
                config: Default::default(),
                pinned_library: Default::default(),
                earlier_pins: Default::default(),
            }
        }

        /// Anyone, once: instantiates the broker from the code hash and
        /// stablecoin given at instantiation, with this community as its
        /// community, and returns its address. Emits `BrokerCreated`.
        /// Errors: `BrokerExists`, `BrokerInstantiationFailed`.
        #[ink(message)]
        pub fn create_broker(&mut self) -> Result<AccountId> {
            cold!( => {
                let (code_hash, stablecoin) = self.rules().broker_plan()?;
                let this = self.env().account_id();
                let create = BrokerRef::new(stablecoin, this)
                    .code_hash(code_hash)
                    .endowment(0)
                    .salt_bytes(Vec::<u8>::new());
                // `seal1::instantiate` where `seal2` is not linked.
                #[cfg(not(feature = "per-call-limits"))]
                let create = create.instantiate_v1();
                let broker = create
                    .try_instantiate()
                    .map_err(|_| CommunityError::BrokerInstantiationFailed)?
                    .map_err(|_| CommunityError::BrokerInstantiationFailed)?;
                let broker = ink::ToAccountId::to_account_id(&broker);
                let mut rules = self.rules();
                let events = rules.broker_created(broker)?;
                self.commit(rules, events);
                Ok(broker)
            })
        }

        // ---- proposals --------------------------------------------------------

        /// Members only: proposes `action`, explained by `description` (at most 512
        /// bytes); voting is open for the voting period from now. Returns the proposal
        /// id. Emits `ProposalCreated`. Errors: `NotMember`, `DescriptionTooLong`,
        /// `ZeroWeight` (a member added or reweighted to 0), `ReleaseFieldTooLong` (over
        /// 64 bytes).
        #[ink(message)]
        pub fn propose(
            &mut self,
            action: hot::Action,
            description: hot::String,
        ) -> Result<ProposalId> {
            hot!(action, description => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let (proposal_id, events) = rules.propose(caller, action, description, now)?;
                self.commit(rules, events);
                Ok(proposal_id)
            })
        }

        /// Members only, once per proposal while its voting is open, with the weight they
        /// held when it was made. Emits `Voted`. Errors: `UnknownProposal`,
        /// `VotingClosed`, `NotMember`, `WeightChangedSinceProposal`, `AlreadyVoted`.
        #[ink(message)]
        pub fn vote(&mut self, proposal_id: hot::ProposalId, yes: hot::bool) -> Result<()> {
            hot!(proposal_id, yes => {
                let caller = self.env().caller();
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.vote(caller, proposal_id, yes, now)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Anyone, once per passed proposal: runs its action (on the broker,
        /// on membership, a release approval, or this contract's own code).
        /// Emits what the action emits and `ProposalExecuted`. Runs before
        /// `create_broker` too, except for actions on the broker. A swap of
        /// this contract's own code runs the new code's `migrate_storage` in
        /// the same transaction, so code that cannot pin its library or read
        /// this storage is refused.
        /// Errors: `UnknownProposal`, `VotingOpen`, `NotPassed`, `Expired`,
        /// `AlreadyExecuted`, `Superseded`, `NoBroker` (a broker action before
        /// `create_broker`), the action's own errors, `CodeUpgradeFailed`.
        #[ink(message)]
        pub fn execute(&mut self, proposal_id: cold::ProposalId) -> Result<()> {
            cold!(proposal_id => {
                let now = self.env().block_timestamp();
                let mut rules = self.rules();
                let events = rules.execute(proposal_id, now, &mut self.governed())?;
                let new_code = events.iter().find_map(|event| match event {
                    CommunityEvent::CommunityCodeUpgraded(e) => Some(e.code_hash),
                    _ => None,
                });
                self.commit(rules, events);
                match new_code {
                    Some(code_hash) => self.swap_own_code(code_hash),
                    None => Ok(()),
                }
            })
        }

        /// Query: the proposal; `None` if no proposal has this id.
        #[ink(message)]
        pub fn get_proposal(&self, proposal_id: cold::ProposalId) -> Option<Proposal> {
            cold!(proposal_id => {
                self.rules().get_proposal(proposal_id)
            })
        }

        /// Query: where the proposal stands now: `Voting`, `Passed`, `Rejected`,
        /// `Expired` or `Executed`; `None` if no proposal has this id.
        #[ink(message)]
        pub fn get_proposal_state(&self, proposal_id: cold::ProposalId) -> Option<ProposalState> {
            cold!(proposal_id => {
                self.rules()
                    .proposal_state(proposal_id, self.env().block_timestamp())
            })
        }

        /// Query: how `voter` voted on the proposal (`true`: yes); `None` if not.
        #[ink(message)]
        pub fn get_vote(
            &self,
            proposal_id: cold::ProposalId,
            voter: cold::AccountId,
        ) -> Option<bool> {
            cold!(proposal_id, voter => {
                self.rules().vote_of(proposal_id, voter)
            })
        }

        /// Query: a page of proposals in the order they were made, from `cursor` (a
        /// proposal id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to 100),
        /// `UnknownCursor` (a cursor past the last proposal).
        #[ink(message)]
        pub fn get_proposals(
            &self,
            cursor: cold::Option<ProposalId>,
            limit: cold::u32,
        ) -> Result<Page<ProposalId, Proposal>> {
            cold!(cursor, limit => {
                self.rules().proposals(cursor, limit)
            })
        }

        // ---- releases and members ---------------------------------------------

        /// Query: whether a passed proposal approved this release (name, version, hash).
        #[ink(message)]
        pub fn is_release_approved(
            &self,
            name: cold::String,
            version: cold::String,
            content_hash: cold::Hash,
        ) -> bool {
            cold!(name, version, content_hash => {
                self.rules()
                    .is_release_approved(&name, &version, content_hash)
            })
        }

        /// Query: a page of approved releases in the order they were approved, from
        /// `cursor` (a release id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to
        /// 100), `UnknownCursor` (a cursor past the last release).
        #[ink(message)]
        pub fn get_releases(
            &self,
            cursor: cold::Option<ReleaseId>,
            limit: cold::u32,
        ) -> Result<Page<ReleaseId, Release>> {
            cold!(cursor, limit => {
                self.rules().releases(cursor, limit)
            })
        }

        /// Query: `account`'s member record; `None` if it is not a member now.
        #[ink(message)]
        pub fn get_member(&self, account: cold::AccountId) -> Option<Member> {
            cold!(account => {
                self.rules().member(account)
            })
        }

        /// Query: the members' weights summed.
        #[ink(message)]
        pub fn get_total_weight(&self) -> Weight {
            cold!( => {
                self.config().total_weight
            })
        }

        /// Query: the quorum, voting period and execution period, fixed at instantiation.
        #[ink(message)]
        pub fn get_voting_rules(&self) -> VotingRules {
            cold!( => {
                self.config().rules
            })
        }

        /// Query: the broker this community governs, once `create_broker` ran (or from
        /// the start, for a community that adopted a broker).
        #[ink(message)]
        pub fn get_broker(&self) -> Option<AccountId> {
            cold!( => {
                self.rules().broker().ok()
            })
        }

        // ---- fees -------------------------------------------------------------

        /// Anyone: withdraws the community's fees from the broker and shares them over
        /// the members' weights, in the current fee book. First, if the broker's
        /// stablecoin changed, the book takes what the migration paid the community in
        /// its token and closes, and a book in the new token opens (`FeeBookOpened`);
        /// what was paid straight to the community in the book's token is shared too.
        /// Emits `FeesCollected` (amount, token). Errors: `NoBroker`, `NothingToCollect`,
        /// `BrokerCallFailed`, `Broker` (the broker refused the withdrawal),
        /// `TokenCallFailed`, `TokenBalanceMismatch`.
        #[ink(message)]
        pub fn collect_fees(&mut self) -> Result<()> {
            hot!( => {
                let mut broker = self.broker_port()?;
                let mut rules = self.rules();
                let events = rules.collect_fees(&mut broker)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Anyone: shares over the members' weights, in the current fee book, what the
        /// community holds of the book's token beyond what it owes, without asking the
        /// broker: tokens sent straight to it (a donation, a migration's or another
        /// community's payment), which `claim_share` and `pay_out_shares` wait for, when
        /// `collect_fees` cannot run (a broker that refuses this community). Emits
        /// `FeesCollected`. Errors: `NoBroker`, `NothingToCollect`, `TokenCallFailed`.
        #[ink(message)]
        pub fn share_surplus(&mut self) -> Result<()> {
            cold!( => {
                let mut tokens = self.governed();
                let mut rules = self.rules();
                let events = rules.share_surplus(&mut tokens)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: what `account`, a member or former member, could claim now from the
        /// current fee book; else 0.
        #[ink(message)]
        pub fn get_claimable(&self, account: cold::AccountId) -> Balance {
            cold!(account => {
                self.rules().claimable(account)
            })
        }

        /// Members, and former members with a share left: pays the caller's share of the
        /// current fee book, in its token, reading the community's balance once, after
        /// the transfer: it must then hold exactly what it owes the others. Emits
        /// `ShareClaimed`. Errors: `NoBroker`, `NotMember`, `NothingToClaim`,
        /// `TokenCallFailed`, `TokenTransferRejected`, `TokenBalanceMismatch` (the token
        /// moved other than the share, or the community holds tokens not shared yet:
        /// `collect_fees` or `share_surplus` shares them, then the claim passes).
        #[ink(message)]
        pub fn claim_share(&mut self) -> Result<()> {
            hot!( => {
                let caller = self.env().caller();
                let mut tokens = self.governed();
                let mut rules = self.rules();
                let events = rules.claim_share(caller, &mut tokens)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Members, and former members with a share left: pays the caller's share of
        /// the closed fee book `book`, in that book's token. Emits `ShareClaimed`.
        /// Errors: `UnknownBook`, `NoBroker`, `NotMember`, `NothingToClaim`, the token
        /// errors.
        #[ink(message)]
        pub fn claim_closed_share(&mut self, book: hot::u32) -> Result<()> {
            hot!(book => {
                let caller = self.env().caller();
                let mut tokens = self.governed();
                let mut rules = self.rules();
                let events = rules.claim_closed_share(caller, book, &mut tokens)?;
                self.commit(rules, events);
                Ok(())
            })
        }

        /// Query: the fee book fees are shared in now (its id, token and totals).
        #[ink(message)]
        pub fn get_fee_book(&self) -> FeeBook {
            cold!( => {
                self.config().book
            })
        }

        /// Query: a closed fee book's token and final share per weight; `None` if
        /// no book with this id closed.
        #[ink(message)]
        pub fn get_closed_book(&self, book: cold::u32) -> Option<ClosedBook> {
            cold!(book => {
                self.rules().closed_book(book)
            })
        }

        /// Query: what `account` could claim now from the closed book `book`; else 0.
        #[ink(message)]
        pub fn get_closed_claimable(&self, book: cold::u32, account: cold::AccountId) -> Balance {
            cold!(book, account => {
                self.rules().closed_claimable(book, account)
            })
        }

        /// Anyone: pays the shares of up to `limit` (1 to 16) member records
        /// from record `start`, in the order accounts first became members,
        /// so fees never wait on a member who does not claim. Returns where
        /// the next batch starts (the number of records once done). Emits
        /// `ShareClaimed` for each member paid.
        /// Errors: `BatchLimitOutOfRange`, `PayoutStartOutOfRange`, `NoBroker`,
        /// the token errors.
        #[ink(message)]
        pub fn pay_out_shares(&mut self, start: hot::u32, limit: hot::u32) -> Result<u32> {
            hot!(start, limit => {
                let mut tokens = self.governed();
                let mut rules = self.rules();
                let (next_start, events) = rules.pay_out_shares(start, limit, &mut tokens)?;
                self.commit(rules, events);
                Ok(next_start)
            })
        }

        // ---- code and storage layout ------------------------------------------

        /// Anyone: brings what is stored to this build's layout, once, and
        /// pins this build's library (an instance of it keeps its code on
        /// chain). The deployment runs it after instantiating the community,
        /// and `execute` in the transaction that swaps the code, so no other
        /// message meets an outdated layout. Emits `StorageMigrated` when it
        /// migrated; on a current layout it does nothing. Traps when the
        /// library's code is not on chain.
        /// Errors: `UnknownLayout` (a layout this build cannot read).
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

        /// Query: the layout the storage is in.
        #[ink(message, selector = 0xC0AA0001)]
        pub fn get_layout_version(&self) -> u16 {
            // Hot, so that a code swap can ask the new code whether it is a
            // hot build (`swap_own_code`); under a selector of its own, not
            // the one its name gives the broker's, so that no broker build,
            // whose storage layout numbers can be the community's, passes.
            hot!( => {
                self.layout
            })
        }

        // ---- plumbing ---------------------------------------------------------

        /// Brings the storage to this build's layout (`migrate_storage`).
        /// The library runs it, and an unsplit build (the tests').
        #[cfg(any(feature = "library", not(feature = "hot")))]
        fn migrate_layout(&mut self) -> Result<()> {
            let this = self.env().account_id();
            let config = &mut self.config;
            let holds = |token| {
                let token = Psp22Contract::new(token, TokenCallLimits::default());
                Ok(token.balance_of(this)?)
            };
            let migrated =
                p2pcloud_common::migrate_layout(&mut self.layout, LAYOUT_VERSION, |from| {
                    crate::layout::migrate(config, from, this, stablecoin_of, holds)
                })?;
            if let Some(event) = migrated {
                self.env().emit_event(event);
            }
            Ok(())
        }

        /// Swaps this contract's code for `code_hash` and has the new code
        /// run `migrate_storage` at once, by a call to this same contract:
        /// it pins the new code's library and brings the storage to its
        /// layout, then answers a hot message, or the whole execution is
        /// refused. Without it, a swap to code whose library is not on chain
        /// would leave `execute` (a cold message) trapping, and a swap to
        /// code that is no hot build every proposal and vote: no vote could
        /// swap back.
        #[cfg(not(feature = "hot"))]
        fn swap_own_code(&mut self, code_hash: Hash) -> Result<()> {
            self.env()
                .set_code_hash(&code_hash)
                .map_err(|_| CommunityError::CodeUpgradeFailed)?;
            let mut new_code: CommunityRef =
                FromAccountId::from_account_id(self.env().account_id());
            calls::reenter(new_code.call_mut().migrate_storage())
                .map_err(|CallFailed| CommunityError::CodeUpgradeFailed)?
                .map_err(|_| CommunityError::CodeUpgradeFailed)?;
            // Only a hot build answers a hot message: code that is not one (a
            // library's, whose `migrate_storage` runs too) would leave every
            // proposal and vote trapping. The new code may also have moved the
            // layout number, which lives in this frame's root; ink! writes the
            // root back when the message ends, so it takes the answer.
            self.layout = calls::reenter(new_code.call().get_layout_version())
                .map_err(|CallFailed| CommunityError::CodeUpgradeFailed)?;
            Ok(())
        }

        /// The stored config, in this build's layout: no message reads a
        /// layout it does not know.
        fn config(&self) -> Config {
            match self.config.get() {
                Some(config) if self.layout == LAYOUT_VERSION => config,
                _ => panic!("storage layout {} is not this build's", self.layout),
            }
        }

        /// The way into the rules: the community's state as plain Rust.
        fn rules(&self) -> CommunityData<OnChain> {
            CommunityData::from_config(self.config())
        }

        /// The broker, or none yet: then the rules refuse what needs it.
        fn governed(&self) -> Governed {
            match self.broker_port() {
                Ok(broker) => Governed::Broker(broker),
                Err(_) => Governed::NotYet(NoBrokerYet),
            }
        }

        fn broker_port(&self) -> Result<OnChainBroker> {
            let rules = self.rules();
            Ok(OnChainBroker {
                broker: FromAccountId::from_account_id(rules.broker()?),
                this: self.env().account_id(),
                token_call_limits: rules.config.token_call_limits,
            })
        }

        /// The way out of a state-changing message whose rule succeeded:
        /// keeps the config the rule left and emits the events it returned.
        /// (The rule wrote the maps itself; a message that returns an error is
        /// reverted whole, so nothing of it is kept.)
        fn commit(&mut self, rules: CommunityData<OnChain>, events: Events) {
            self.config.set(&rules.config);
            self.emit(events);
        }

        /// Emits `events`. Each build has emitting code only for the events
        /// its own messages emit: the hot build none of `execute`'s and
        /// `create_broker`'s, the library none of proposals', votes' and
        /// claims'. The embedded suites run every message of both.
        fn emit(&self, events: Events) {
            for event in events {
                match event {
                    // Fee collection runs in hot messages and in `execute`.
                    CommunityEvent::FeesCollected(e) => self.env().emit_event(e),
                    CommunityEvent::FeeBookOpened(e) => self.env().emit_event(e),
                    // Hot messages only.
                    #[cfg(not(feature = "library"))]
                    CommunityEvent::ProposalCreated(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    CommunityEvent::Voted(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "library"))]
                    CommunityEvent::ShareClaimed(e) => self.env().emit_event(e),
                    // Cold messages only.
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::ProposalExecuted(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::MemberAdded(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::MemberRemoved(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::WeightChanged(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::ReleaseApproved(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::BrokerCreated(e) => self.env().emit_event(e),
                    #[cfg(not(feature = "hot"))]
                    CommunityEvent::CommunityCodeUpgraded(e) => self.env().emit_event(e),
                    #[cfg(any(feature = "hot", feature = "library"))]
                    _ => p2pcloud_common::split::other_builds_event(),
                }
            }
        }
    }

    /// The broker over cross-contract calls, through its own `BrokerRef`: the
    /// messages and their types come from the broker crate, not restated here.
    struct OnChainBroker {
        broker: BrokerRef,
        this: AccountId,
        /// The community's own token call limits (`Config::token_call_limits`).
        token_call_limits: TokenCallLimits,
    }

    /// A broker message's answer, or `BrokerCallFailed` if the call trapped,
    /// reverted without an answer, reached no broker or answered something
    /// else. Every broker message goes through `calls::send`'s one call path.
    fn send<Args: scale::Encode, R: scale::Decode>(message: Message<Args, R>) -> Result<R> {
        calls::send(message).map_err(|CallFailed| CommunityError::BrokerCallFailed)
    }

    /// As `send`, for a message that can refuse: its refusal is passed on.
    fn send_refusable<Args: scale::Encode, R: scale::Decode>(
        message: Message<Args, core::result::Result<R, BrokerError>>,
    ) -> Result<R> {
        send(message)?.map_err(CommunityError::Broker)
    }

    /// The stablecoin of the broker at `broker`.
    fn stablecoin_of(broker: AccountId) -> Result<AccountId> {
        let broker: BrokerRef = FromAccountId::from_account_id(broker);
        send(broker.call().get_stablecoin_address())
    }

    /// The community's own token calls ask nothing of the broker, so a
    /// successor that took it cannot stop the old community's payouts.
    impl FeeTokens for OnChainBroker {
        fn balance(&mut self, token: AccountId) -> Result<Balance> {
            let token = Psp22Contract::new(token, self.token_call_limits);
            Ok(token.balance_of(self.this)?)
        }

        fn send(&mut self, token: AccountId, to: AccountId, amount: Balance) -> Result<()> {
            let token = Psp22Contract::new(token, self.token_call_limits);
            Ok(CheckedToken::new(token, self.this).send_exactly(to, amount)?)
        }

        fn send_owed(
            &mut self,
            token: AccountId,
            to: AccountId,
            amount: Balance,
            owed: Balance,
        ) -> Result<()> {
            let token = Psp22Contract::new(token, self.token_call_limits);
            Ok(CheckedToken::new(token, self.this).send_owed(to, amount, owed)?)
        }
    }

    /// The broker a proposal acts on: the one `create_broker` made, or none
    /// yet (then only broker actions are refused).
    enum Governed {
        Broker(OnChainBroker),
        NotYet(NoBrokerYet),
    }

    impl Governed {
        fn port(&mut self) -> &mut dyn BrokerPort {
            match self {
                Self::Broker(broker) => broker,
                Self::NotYet(none) => none,
            }
        }
    }

    impl BrokerPort for Governed {
        fn call(&mut self, call: &BrokerCall) -> Result<()> {
            self.port().call(call)
        }

        fn withdraw_fees(&mut self, limit: Balance) -> Result<FeesWithdrawn> {
            self.port().withdraw_fees(limit)
        }

        fn stablecoin(&mut self) -> Result<AccountId> {
            self.port().stablecoin()
        }
    }

    impl FeeTokens for Governed {
        fn balance(&mut self, token: AccountId) -> Result<Balance> {
            self.port().balance(token)
        }

        fn send(&mut self, token: AccountId, to: AccountId, amount: Balance) -> Result<()> {
            self.port().send(token, to, amount)
        }

        fn send_owed(
            &mut self,
            token: AccountId,
            to: AccountId,
            amount: Balance,
            owed: Balance,
        ) -> Result<()> {
            self.port().send_owed(token, to, amount, owed)
        }
    }

    impl BrokerPort for OnChainBroker {
        fn call(&mut self, call: &BrokerCall) -> Result<()> {
            let broker = self.broker.call_mut();
            match call {
                BrokerCall::SetCommunityFee(bps) => send_refusable(broker.set_community_fee(*bps)),
                BrokerCall::SetStablecoin(token) => {
                    send_refusable(broker.set_stablecoin_address(*token))
                }
                BrokerCall::SetCommunityContract(community) => {
                    send_refusable(broker.set_community_contract(*community))
                }
                BrokerCall::AcceptCommunity => send_refusable(broker.accept_community()),
                // The new code runs from the next call on: that call brings
                // the storage to its layout, in this same transaction.
                BrokerCall::UpgradeCode(code_hash) => {
                    send_refusable(broker.set_code(*code_hash))?;
                    send_refusable(self.broker.call_mut().migrate_storage())?;
                    // Only a hot broker build answers this hot message: other
                    // code (the community's, whose layout number the broker's
                    // may share and whose `get_layout_version` has another
                    // selector) would stop every deposit, booking and claim.
                    send(self.broker.call().get_layout_version()).map(drop)
                }
                BrokerCall::TerminateBooking(booking_id) => send_refusable(
                    broker.stop_booking(*booking_id, StopReason::CommunityTerminated),
                ),
                BrokerCall::SetTokenCallLimits(limits) => {
                    send_refusable(broker.set_token_call_limits(*limits))
                }
            }
        }

        fn withdraw_fees(&mut self, limit: Balance) -> Result<FeesWithdrawn> {
            let sent = send_refusable(self.broker.call_mut().withdraw_up_to(limit))?;
            Ok(FeesWithdrawn {
                stablecoin: sent.token,
                amount: sent.amount,
            })
        }

        fn stablecoin(&mut self) -> Result<AccountId> {
            send(self.broker.call().get_stablecoin_address())
        }
    }

    /// Tests of the contract shell in ink!'s off-chain engine. Calls on the
    /// broker and the token cannot run off-chain; the e2e tests cover them.
    /// Not in the library's build, which traps in the hot messages they call.
    #[cfg(all(test, not(feature = "library")))]
    mod tests {
        use super::*;
        use crate::events::{ProposalCreated, ReleaseApproved, Voted};
        use ink::env::{
            test::{self, DefaultAccounts},
            DefaultEnvironment as Env, Event,
        };
        use ink::scale::Decode;
        use p2pcloud_common::testing::topic;

        const RULES: VotingRules = VotingRules {
            quorum_bps: 5_000,
            voting_period: 1_000,
            execution_period: 1_000,
        };

        fn accounts() -> DefaultAccounts<Env> {
            test::default_accounts::<Env>()
        }

        /// Alice (weight 2) and Bob (weight 1) govern a broker at Django.
        fn community() -> Community {
            let accounts = accounts();
            test::set_caller::<Env>(accounts.alice);
            test::set_callee::<Env>(accounts.charlie);
            // A planned broker: adopting a running one asks it for its
            // stablecoin, a call the off-chain engine cannot make.
            Community::new(
                vec![(accounts.alice, 2), (accounts.bob, 1)],
                RULES,
                Hash::from([3; 32]),
                accounts.django,
            )
            .unwrap()
        }

        #[ink::test]
        fn instantiation_validates_like_the_core() {
            let accounts = accounts();
            assert_eq!(
                Community::new(Vec::new(), RULES, Hash::from([3; 32]), accounts.django).err(),
                Some(CommunityError::NoMembers)
            );
            let community = community();
            assert_eq!(community.get_total_weight(), 3);
            assert_eq!(community.get_broker(), None);
            assert_eq!(community.get_fee_book().token, accounts.django);
            assert_eq!(community.get_voting_rules(), RULES);
            assert_eq!(community.get_member(accounts.bob).unwrap().weight, 1);
            assert_eq!(community.get_member(accounts.eve), None);
        }

        #[ink::test]
        fn a_proposal_runs_end_to_end_in_the_shell() {
            let accounts = accounts();
            let mut community = community();
            // A release approval: the one action that calls no other contract.
            let release = Release {
                kind: ReleaseKind::Sdk,
                name: "p2pcloud-sdk".into(),
                version: "1.0.0".into(),
                content_hash: Hash::from([4; 32]),
            };
            let action = Action::ApproveRelease(release.clone());
            let id = community.propose(action.clone(), "sdk".into()).unwrap();
            let created = test::recorded_events().last().unwrap();
            assert_eq!(
                ProposalCreated::decode(&mut &created.data[..])
                    .unwrap()
                    .action,
                action
            );
            assert_eq!(
                created.topics,
                vec![
                    ProposalCreated::SIGNATURE_TOPIC.unwrap().to_vec(),
                    topic(&id).to_vec(),
                    topic(&accounts.alice).to_vec(),
                ]
            );
            community.vote(id, true).unwrap();
            let voted = test::recorded_events().last().unwrap();
            assert_eq!(
                Voted::decode(&mut &voted.data[..]).unwrap(),
                Voted {
                    proposal_id: id,
                    voter: accounts.alice,
                    yes: true,
                    weight: 2
                }
            );
            assert_eq!(community.vote(id, false), Err(CommunityError::AlreadyVoted));
            assert_eq!(community.execute(id), Err(CommunityError::VotingOpen));
            assert_eq!(
                community.get_proposal_state(id),
                Some(ProposalState::Voting)
            );

            test::set_block_timestamp::<Env>(RULES.voting_period);
            test::set_caller::<Env>(accounts.charlie); // anyone may execute
            community.execute(id).unwrap();
            let approved = test::recorded_events()
                .find_map(|e| ReleaseApproved::decode(&mut &e.data[..]).ok());
            assert_eq!(approved.map(|r| r.version), Some(release.version.clone()));
            assert!(community.is_release_approved(
                release.name,
                release.version,
                release.content_hash
            ));
            assert_eq!(
                community.get_proposal_state(id),
                Some(ProposalState::Executed)
            );
            assert_eq!(community.get_vote(id, accounts.alice), Some(true));
            assert_eq!(community.get_proposals(None, 10).unwrap().items.len(), 1);
        }

        #[ink::test]
        fn strangers_cannot_propose_vote_or_claim() {
            let accounts = accounts();
            let mut community = community();
            let id = community
                .propose(
                    Action::RemoveMember {
                        account: accounts.bob,
                    },
                    String::new(),
                )
                .unwrap();
            test::set_caller::<Env>(accounts.eve);
            assert_eq!(
                community.propose(
                    Action::RemoveMember {
                        account: accounts.bob
                    },
                    String::new()
                ),
                Err(CommunityError::NotMember)
            );
            assert_eq!(community.vote(id, true), Err(CommunityError::NotMember));
            assert_eq!(community.claim_share(), Err(CommunityError::NotMember));
            assert_eq!(community.get_claimable(accounts.eve), 0);
        }

        #[ink::test]
        fn release_approval_is_visible_to_clients() {
            let mut community = community();
            let release = Release {
                kind: ReleaseKind::Sdk,
                name: "p2pcloud-sdk".into(),
                version: "0.3.0".into(),
                content_hash: Hash::from([8; 32]),
            };
            let id = community
                .propose(Action::ApproveRelease(release.clone()), "sdk".into())
                .unwrap();
            community.vote(id, true).unwrap();
            assert!(!community.is_release_approved(
                "p2pcloud-sdk".into(),
                "0.3.0".into(),
                Hash::from([8; 32])
            ));
            test::set_block_timestamp::<Env>(RULES.voting_period);
            community.execute(id).unwrap();
            assert!(community.is_release_approved(
                "p2pcloud-sdk".into(),
                "0.3.0".into(),
                Hash::from([8; 32])
            ));
            assert_eq!(
                community.get_releases(None, 5).unwrap().items,
                vec![(0, release)]
            );
        }
    }
}
