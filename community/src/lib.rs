//! The p2pcloud community: members with voting weights govern the broker
//! (fee, stablecoin, hand-over, code upgrades, terminating bookings), approve
//! protocol and SDK releases, and share the fees the broker collects for them.
//!
//! The rules live in [`data`] as plain Rust; this contract reads the caller and
//! the time, calls the broker and the token, and emits what the rules return.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

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
pub mod types;

#[cfg(test)]
mod tests;

pub use self::community::{Community, CommunityRef};
pub use errors::CommunityError;

#[ink::contract]
mod community {
    use crate::{
        calls::{self, CallFailed, Message},
        data::{BrokerPort, CommunityData, Events, FeeTokens, FeesWaiting, NoBrokerYet},
        events::CommunityEvent,
        layout::{self, StoredConfig, LAYOUT_VERSION},
        onchain::OnChain,
        types::*,
        CommunityError,
    };
    use broker::BrokerRef;
    use ink::{
        codegen::TraitCallBuilder,
        env::call::FromAccountId,
        prelude::{string::String, vec::Vec},
        scale,
    };
    use p2pcloud_common::{
        migrate_layout, BrokerError, CheckedToken, Page, Psp22Api, Psp22Contract, StopReason,
        Token, TokenCallLimits,
    };

    type Result<T> = core::result::Result<T, CommunityError>;

    #[ink(storage)]
    pub struct Community {
        /// The layout everything else is stored in, as `LAYOUT_VERSION`
        /// numbers them. The only field read eagerly, so every build can read
        /// it, whatever layout the rest is in.
        layout: u16,
        config: StoredConfig,
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
            };
            community.config.set(&data.config);
            Ok(community)
        }

        /// Anyone, once: instantiates the broker from the code hash and
        /// stablecoin given at instantiation, with this community as its
        /// community, and returns its address. Emits `BrokerCreated`.
        /// Errors: `BrokerExists`, `BrokerInstantiationFailed`.
        #[ink(message)]
        pub fn create_broker(&mut self) -> Result<AccountId> {
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
        }

        // ---- proposals --------------------------------------------------------

        /// Members only: proposes `action`, explained by `description` (at most 512
        /// bytes); voting is open for the voting period from now. Returns the proposal
        /// id. Emits `ProposalCreated`. Errors: `NotMember`, `DescriptionTooLong`,
        /// `ZeroWeight` (a member added or reweighted to 0), `ReleaseFieldTooLong` (over
        /// 64 bytes).
        #[ink(message)]
        pub fn propose(&mut self, action: Action, description: String) -> Result<ProposalId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut rules = self.rules();
            let (proposal_id, events) = rules.propose(caller, action, description, now)?;
            self.commit(rules, events);
            Ok(proposal_id)
        }

        /// Members only, once per proposal while its voting is open, with the weight they
        /// held when it was made. Emits `Voted`. Errors: `UnknownProposal`,
        /// `VotingClosed`, `NotMember`, `WeightChangedSinceProposal`, `AlreadyVoted`.
        #[ink(message)]
        pub fn vote(&mut self, proposal_id: ProposalId, yes: bool) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut rules = self.rules();
            let events = rules.vote(caller, proposal_id, yes, now)?;
            self.commit(rules, events);
            Ok(())
        }

        /// Anyone, once per passed proposal: runs its action (on the broker,
        /// on membership, a release approval, or this contract's own code).
        /// Emits what the action emits and `ProposalExecuted`. Runs before
        /// `create_broker` too, except for actions on the broker.
        /// Errors: `UnknownProposal`, `VotingOpen`, `NotPassed`, `Expired`,
        /// `AlreadyExecuted`, `Superseded`, `NoBroker` (a broker action before
        /// `create_broker`), the action's own errors, `CodeUpgradeFailed`.
        #[ink(message)]
        pub fn execute(&mut self, proposal_id: ProposalId) -> Result<()> {
            let now = self.env().block_timestamp();
            let mut rules = self.rules();
            let events = rules.execute(proposal_id, now, &mut self.governed())?;
            let new_code = events.iter().find_map(|event| match event {
                CommunityEvent::CommunityCodeUpgraded(e) => Some(e.code_hash),
                _ => None,
            });
            self.commit(rules, events);
            if let Some(code_hash) = new_code {
                self.env()
                    .set_code_hash(&code_hash)
                    .map_err(|_| CommunityError::CodeUpgradeFailed)?;
            }
            Ok(())
        }

        /// Query: the proposal; `None` if no proposal has this id.
        #[ink(message)]
        pub fn get_proposal(&self, proposal_id: ProposalId) -> Option<Proposal> {
            self.rules().get_proposal(proposal_id)
        }

        /// Query: where the proposal stands now: `Voting`, `Passed`, `Rejected`,
        /// `Expired` or `Executed`; `None` if no proposal has this id.
        #[ink(message)]
        pub fn get_proposal_state(&self, proposal_id: ProposalId) -> Option<ProposalState> {
            self.rules()
                .proposal_state(proposal_id, self.env().block_timestamp())
        }

        /// Query: how `voter` voted on the proposal (`true`: yes); `None` if not.
        #[ink(message)]
        pub fn get_vote(&self, proposal_id: ProposalId, voter: AccountId) -> Option<bool> {
            self.rules().vote_of(proposal_id, voter)
        }

        /// Query: a page of proposals in the order they were made, from `cursor` (a
        /// proposal id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to 100),
        /// `UnknownCursor` (a cursor past the last proposal).
        #[ink(message)]
        pub fn get_proposals(
            &self,
            cursor: Option<ProposalId>,
            limit: u32,
        ) -> Result<Page<ProposalId, Proposal>> {
            self.rules().proposals(cursor, limit)
        }

        // ---- releases and members ---------------------------------------------

        /// Query: whether a passed proposal approved this release (name, version, hash).
        #[ink(message)]
        pub fn is_release_approved(
            &self,
            name: String,
            version: String,
            content_hash: Hash,
        ) -> bool {
            self.rules()
                .is_release_approved(&name, &version, content_hash)
        }

        /// Query: a page of approved releases in the order they were approved, from
        /// `cursor` (a release id). Errors: `PageLimitOutOfRange` (`limit` runs from 1 to
        /// 100), `UnknownCursor` (a cursor past the last release).
        #[ink(message)]
        pub fn get_releases(
            &self,
            cursor: Option<ReleaseId>,
            limit: u32,
        ) -> Result<Page<ReleaseId, Release>> {
            self.rules().releases(cursor, limit)
        }

        /// Query: `account`'s member record; `None` if it is not a member now.
        #[ink(message)]
        pub fn get_member(&self, account: AccountId) -> Option<Member> {
            self.rules().member(account)
        }

        /// Query: the members' weights summed.
        #[ink(message)]
        pub fn get_total_weight(&self) -> Weight {
            self.config().total_weight
        }

        /// Query: the quorum, voting period and execution period, fixed at instantiation.
        #[ink(message)]
        pub fn get_voting_rules(&self) -> VotingRules {
            self.config().rules
        }

        /// Query: the broker this community governs, once `create_broker` ran (or from
        /// the start, for a community that adopted a broker).
        #[ink(message)]
        pub fn get_broker(&self) -> Option<AccountId> {
            self.rules().broker().ok()
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
            let mut broker = self.broker_port()?;
            let mut rules = self.rules();
            let events = rules.collect_fees(&mut broker)?;
            self.commit(rules, events);
            Ok(())
        }

        /// Query: what `account`, a member or former member, could claim now from the
        /// current fee book; else 0.
        #[ink(message)]
        pub fn get_claimable(&self, account: AccountId) -> Balance {
            self.rules().claimable(account)
        }

        /// Members, and former members with a share left: pays the caller's share of the
        /// current fee book, in its token. Emits `ShareClaimed`. Errors: `NoBroker`,
        /// `NotMember`, `NothingToClaim`, `TokenCallFailed`, `TokenTransferRejected`,
        /// `TokenBalanceMismatch`.
        #[ink(message)]
        pub fn claim_share(&mut self) -> Result<()> {
            let caller = self.env().caller();
            let mut tokens = self.governed();
            let mut rules = self.rules();
            let events = rules.claim_share(caller, &mut tokens)?;
            self.commit(rules, events);
            Ok(())
        }

        /// Members, and former members with a share left: pays the caller's share of
        /// the closed fee book `book`, in that book's token. Emits `ShareClaimed`.
        /// Errors: `UnknownBook`, `NoBroker`, `NotMember`, `NothingToClaim`, the token
        /// errors.
        #[ink(message)]
        pub fn claim_closed_share(&mut self, book: u32) -> Result<()> {
            let caller = self.env().caller();
            let mut tokens = self.governed();
            let mut rules = self.rules();
            let events = rules.claim_closed_share(caller, book, &mut tokens)?;
            self.commit(rules, events);
            Ok(())
        }

        /// Query: the fee book fees are shared in now (its id, token and totals).
        #[ink(message)]
        pub fn get_fee_book(&self) -> FeeBook {
            self.config().book
        }

        /// Query: a closed fee book's token and final share per weight; `None` if
        /// no book with this id closed.
        #[ink(message)]
        pub fn get_closed_book(&self, book: u32) -> Option<ClosedBook> {
            self.rules().closed_book(book)
        }

        /// Query: what `account` could claim now from the closed book `book`; else 0.
        #[ink(message)]
        pub fn get_closed_claimable(&self, book: u32, account: AccountId) -> Balance {
            self.rules().closed_claimable(book, account)
        }

        /// Anyone: pays the shares of up to `limit` (1 to 16) member records
        /// from record `start`, in the order accounts first became members,
        /// so fees never wait on a member who does not claim. Returns where
        /// the next batch starts (the number of records once done). Emits
        /// `ShareClaimed` for each member paid.
        /// Errors: `BatchLimitOutOfRange`, `PayoutStartOutOfRange`, `NoBroker`,
        /// the token errors.
        #[ink(message)]
        pub fn pay_out_shares(&mut self, start: u32, limit: u32) -> Result<u32> {
            let mut tokens = self.governed();
            let mut rules = self.rules();
            let (next_start, events) = rules.pay_out_shares(start, limit, &mut tokens)?;
            self.commit(rules, events);
            Ok(next_start)
        }

        // ---- code and storage layout ------------------------------------------

        /// Anyone: brings what is stored to this build's layout, once, after
        /// an `UpgradeCommunity` to a build with a newer layout (until then
        /// every other message traps). Emits `StorageMigrated` when it
        /// migrated; on a current layout it does nothing.
        /// Errors: `UnknownLayout` (a layout this build cannot read).
        #[ink(message)]
        pub fn migrate_storage(&mut self) -> Result<()> {
            let this = self.env().account_id();
            let config = &mut self.config;
            let holds = |token| {
                let token = Psp22Contract::new(token, TokenCallLimits::default());
                Ok(token.balance_of(this)?)
            };
            let migrated = migrate_layout(&mut self.layout, LAYOUT_VERSION, |from| {
                layout::migrate(config, from, this, stablecoin_of, holds)
            })?;
            if let Some(event) = migrated {
                self.env().emit_event(event);
            }
            Ok(())
        }

        /// Query: the layout the storage is in.
        #[ink(message)]
        pub fn get_layout_version(&self) -> u16 {
            self.layout
        }

        // ---- plumbing ---------------------------------------------------------

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
            for event in events {
                match event {
                    CommunityEvent::ProposalCreated(e) => self.env().emit_event(e),
                    CommunityEvent::Voted(e) => self.env().emit_event(e),
                    CommunityEvent::ProposalExecuted(e) => self.env().emit_event(e),
                    CommunityEvent::MemberAdded(e) => self.env().emit_event(e),
                    CommunityEvent::MemberRemoved(e) => self.env().emit_event(e),
                    CommunityEvent::WeightChanged(e) => self.env().emit_event(e),
                    CommunityEvent::ReleaseApproved(e) => self.env().emit_event(e),
                    CommunityEvent::FeesCollected(e) => self.env().emit_event(e),
                    CommunityEvent::ShareClaimed(e) => self.env().emit_event(e),
                    CommunityEvent::FeeBookOpened(e) => self.env().emit_event(e),
                    CommunityEvent::BrokerCreated(e) => self.env().emit_event(e),
                    CommunityEvent::CommunityCodeUpgraded(e) => self.env().emit_event(e),
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
            Ok(CheckedToken::new(token, self.this).send_to(to, amount)?)
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

        fn fees_waiting(&mut self) -> Result<FeesWaiting> {
            self.port().fees_waiting()
        }

        fn withdraw(&mut self, amount: Balance) -> Result<()> {
            self.port().withdraw(amount)
        }
    }

    impl FeeTokens for Governed {
        fn balance(&mut self, token: AccountId) -> Result<Balance> {
            self.port().balance(token)
        }

        fn send(&mut self, token: AccountId, to: AccountId, amount: Balance) -> Result<()> {
            self.port().send(token, to, amount)
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
                    send_refusable(self.broker.call_mut().migrate_storage())
                }
                BrokerCall::TerminateBooking(booking_id) => send_refusable(
                    broker.stop_booking(*booking_id, StopReason::CommunityTerminated),
                ),
                BrokerCall::SetTokenCallLimits(limits) => {
                    send_refusable(broker.set_token_call_limits(*limits))
                }
            }
        }

        fn fees_waiting(&mut self) -> Result<FeesWaiting> {
            let answer = send_refusable(self.broker.call().check_balance_in_token(self.this))?;
            Ok(FeesWaiting {
                stablecoin: answer.token,
                amount: answer.report.free,
            })
        }

        fn withdraw(&mut self, amount: Balance) -> Result<()> {
            send_refusable(self.broker.call_mut().withdraw_coin(amount))
        }
    }

    /// Tests of the contract shell in ink!'s off-chain engine. Calls on the
    /// broker and the token cannot run off-chain; the e2e tests cover them.
    #[cfg(test)]
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
