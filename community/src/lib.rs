//! The p2pcloud community: members with voting weights govern the broker
//! (fee, stablecoin, hand-over, code upgrades, terminating bookings), approve
//! protocol and SDK releases, and share the fees the broker collects for them.
//!
//! The rules live in [`data`] as plain Rust; this contract reads the caller and
//! the time, calls the broker and the token, and emits what the rules return.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;
#[cfg(feature = "std")]
pub mod memory;
pub mod onchain;
pub mod types;

#[cfg(test)]
mod tests;

pub use errors::CommunityError;

#[ink::contract]
mod community {
    use crate::{
        data::{BrokerPort, CommunityData, Events},
        events::CommunityEvent,
        onchain::OnChain,
        types::*,
        CommunityError,
    };
    use broker::BrokerRef;
    use ink::{
        env::call::{build_call, ExecutionInput, Selector},
        prelude::{string::String, vec::Vec},
    };
    use p2pcloud_common::{BrokerError, CheckedToken, Page, Psp22Api, Psp22Contract, StopReason};

    type Result<T> = core::result::Result<T, CommunityError>;

    #[ink(storage)]
    pub struct Community {
        config: Config,
    }

    impl Community {
        /// Instantiates the community and, from it, the broker it governs
        /// (from the uploaded `broker_code_hash`), so each names the other from
        /// the first block on and no trusted set-up step is left.
        #[ink(constructor)]
        pub fn new(
            members: Vec<(AccountId, Weight)>,
            rules: VotingRules,
            broker_code_hash: Hash,
            stablecoin: AccountId,
        ) -> Result<Self> {
            let this = Self::env().account_id();
            let broker = BrokerRef::new(stablecoin, this)
                .code_hash(broker_code_hash)
                .endowment(0)
                .salt_bytes(Vec::<u8>::new())
                .try_instantiate()
                .map_err(|_| CommunityError::BrokerInstantiationFailed)?
                .map_err(|_| CommunityError::BrokerInstantiationFailed)?;
            let broker = ink::ToAccountId::to_account_id(&broker);
            Self::adopt(members, rules, broker, stablecoin)
        }

        /// A community for an existing broker: the successor in a migration,
        /// which governs once the current community passes
        /// `SetCommunityContract` with this contract's address.
        #[ink(constructor)]
        pub fn adopt(
            members: Vec<(AccountId, Weight)>,
            rules: VotingRules,
            broker: AccountId,
            stablecoin: AccountId,
        ) -> Result<Self> {
            let data = CommunityData::<OnChain>::new(&members, rules, broker, stablecoin)?;
            Ok(Self {
                config: data.config,
            })
        }

        // ---- proposals --------------------------------------------------------

        #[ink(message)]
        pub fn propose(&mut self, action: Action, description: String) -> Result<ProposalId> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            self.apply(|data| data.propose(caller, action, description, now))
        }

        #[ink(message)]
        pub fn vote(&mut self, proposal_id: ProposalId, yes: bool) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            self.apply_unit(|data| data.vote(caller, proposal_id, yes, now))
        }

        /// Executes a passed proposal; anyone may call it, once.
        #[ink(message)]
        pub fn execute(&mut self, proposal_id: ProposalId) -> Result<()> {
            let now = self.env().block_timestamp();
            let mut broker = self.broker_port();
            self.apply_unit(|data| data.execute(proposal_id, now, &mut broker))
        }

        #[ink(message)]
        pub fn get_proposal(&self, proposal_id: ProposalId) -> Option<Proposal> {
            self.data().get_proposal(proposal_id)
        }

        #[ink(message)]
        pub fn get_proposal_state(&self, proposal_id: ProposalId) -> Option<ProposalState> {
            self.data()
                .proposal_state(proposal_id, self.env().block_timestamp())
        }

        #[ink(message)]
        pub fn get_vote(&self, proposal_id: ProposalId, voter: AccountId) -> Option<bool> {
            self.data().vote_of(proposal_id, voter)
        }

        #[ink(message)]
        pub fn get_proposals(
            &self,
            cursor: Option<ProposalId>,
            limit: u32,
        ) -> Result<Page<ProposalId, Proposal>> {
            self.data().proposals(cursor, limit)
        }

        // ---- releases and members ---------------------------------------------

        #[ink(message)]
        pub fn is_release_approved(
            &self,
            name: String,
            version: String,
            content_hash: Hash,
        ) -> bool {
            self.data()
                .is_release_approved(&name, &version, content_hash)
        }

        #[ink(message)]
        pub fn get_releases(
            &self,
            cursor: Option<ReleaseId>,
            limit: u32,
        ) -> Result<Page<ReleaseId, Release>> {
            self.data().releases(cursor, limit)
        }

        #[ink(message)]
        pub fn get_member(&self, account: AccountId) -> Option<Member> {
            self.data().member(account)
        }

        #[ink(message)]
        pub fn get_total_weight(&self) -> Weight {
            self.config.total_weight
        }

        #[ink(message)]
        pub fn get_voting_rules(&self) -> VotingRules {
            self.config.rules
        }

        #[ink(message)]
        pub fn get_broker(&self) -> AccountId {
            self.config.broker
        }

        // ---- fees -------------------------------------------------------------

        /// Withdraws the community's fees from the broker for the members.
        #[ink(message)]
        pub fn collect_fees(&mut self) -> Result<()> {
            let mut broker = self.broker_port();
            self.apply_unit(|data| data.collect_fees(&mut broker))
        }

        #[ink(message)]
        pub fn get_claimable(&self, account: AccountId) -> Balance {
            self.data().claimable(account)
        }

        /// Pays the caller's share of the collected fees.
        #[ink(message)]
        pub fn claim_share(&mut self) -> Result<()> {
            let caller = self.env().caller();
            let mut token = CheckedToken::new(
                Psp22Contract::new(self.config.stablecoin),
                self.env().account_id(),
            );
            self.apply_unit(|data| data.claim_share(caller, &mut token))
        }

        // ---- plumbing ---------------------------------------------------------

        fn data(&self) -> CommunityData<OnChain> {
            CommunityData::from_config(self.config.clone())
        }

        fn broker_port(&self) -> OnChainBroker {
            OnChainBroker {
                broker: self.config.broker,
                stablecoin: self.config.stablecoin,
                this: self.env().account_id(),
            }
        }

        fn apply<T>(
            &mut self,
            operation: impl FnOnce(&mut CommunityData<OnChain>) -> Result<(T, Events)>,
        ) -> Result<T> {
            let mut data = self.data();
            let (value, events) = operation(&mut data)?;
            self.config = data.config;
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
                }
            }
            Ok(value)
        }

        fn apply_unit(
            &mut self,
            operation: impl FnOnce(&mut CommunityData<OnChain>) -> Result<Events>,
        ) -> Result<()> {
            self.apply(|data| operation(data).map(|events| ((), events)))
        }
    }

    /// The broker over cross-contract calls, by the selectors of its messages.
    struct OnChainBroker {
        broker: AccountId,
        stablecoin: AccountId,
        this: AccountId,
    }

    impl OnChainBroker {
        fn invoke<Args: scale::Encode, R: scale::Decode>(
            &self,
            selector: [u8; 4],
            args: Args,
        ) -> Result<R> {
            match build_call::<ink::env::DefaultEnvironment>()
                .call(self.broker)
                .exec_input(ExecutionInput::new(Selector::new(selector)).push_arg(args))
                .returns::<R>()
                .try_invoke()
            {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(_)) | Err(_) => Err(CommunityError::BrokerCallFailed),
            }
        }

        fn invoke_fallible<Args: scale::Encode>(
            &self,
            selector: [u8; 4],
            args: Args,
        ) -> Result<()> {
            self.invoke::<Args, core::result::Result<(), BrokerError>>(selector, args)?
                .map_err(CommunityError::Broker)
        }
    }

    impl BrokerPort for OnChainBroker {
        fn call(&mut self, call: &BrokerCall) -> Result<()> {
            match call {
                BrokerCall::SetCommunityFee(bps) => {
                    self.invoke_fallible(ink::selector_bytes!("set_community_fee"), bps)
                }
                BrokerCall::SetStablecoin(token) => {
                    self.invoke_fallible(ink::selector_bytes!("set_stablecoin_address"), token)
                }
                BrokerCall::SetCommunityContract(community) => {
                    self.invoke_fallible(ink::selector_bytes!("set_community_contract"), community)
                }
                BrokerCall::UpgradeCode(code_hash) => {
                    self.invoke_fallible(ink::selector_bytes!("set_code"), code_hash)
                }
                BrokerCall::TerminateBooking(booking_id) => self.invoke_fallible(
                    ink::selector_bytes!("stop_booking"),
                    (booking_id, StopReason::CommunityTerminated),
                ),
            }
        }

        fn withdraw_fees(&mut self) -> Result<Balance> {
            let (free, _locked): (Balance, Balance) =
                self.invoke(ink::selector_bytes!("check_balance"), self.this)?;
            if free == 0 {
                return Ok(0);
            }
            let token = Psp22Contract::new(self.stablecoin);
            let before = token.balance_of(self.this)?;
            self.invoke_fallible(ink::selector_bytes!("withdraw_coin"), free)?;
            let after = token.balance_of(self.this)?;
            match after.checked_sub(before) {
                Some(received) if received == free => Ok(received),
                _ => Err(CommunityError::TokenBalanceMismatch),
            }
        }
    }
}
