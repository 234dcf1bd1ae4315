//! The community's rules as plain Rust: the core and its members here,
//! proposals and releases in `proposals.rs`, fee shares in `fees.rs`. Callers
//! and time come in as arguments, calls on the broker and the token go through
//! traits, events come back. A failed operation returns an error before it
//! writes anything (a fee collection makes every call out before it writes).
use crate::{errors::CommunityError, events::*, types::*};
use ink::{
    prelude::{vec, vec::Vec},
    primitives::{AccountId, Hash},
};
use p2pcloud_common::{ensure, page_limit_in_range, Page, Store, TokenCallLimits};

/// The maps the community keeps: ink! `Mapping`s on-chain, `BTreeMap`s in tests.
pub trait CommunityMaps {
    type Members: Store<AccountId, Member> + Default;
    type Proposals: Store<ProposalId, Proposal> + Default;
    type Votes: Store<(ProposalId, AccountId), bool> + Default;
    type Releases: Store<ReleaseId, Release> + Default;
    /// Approved releases by `release_key`: a fixed 32 bytes, so a key stays within
    /// pallet-contracts' 128-byte storage key limit however long the names.
    type ReleaseIndex: Store<[u8; 32], ReleaseId> + Default;
    /// The last executed proposal on each subject.
    type Decisions: Store<Subject, ProposalId> + Default;
    /// Every account that ever held a member record, in the order they got
    /// it (0..`member_records`): how shares are paid out in batches.
    type MemberIndex: Store<u32, AccountId> + Default;
    /// The book each member's share was last settled in (absent: book 0).
    type MemberBooks: Store<AccountId, u32> + Default;
    /// Every book that closed, by id.
    type ClosedBooks: Store<u32, ClosedBook> + Default;
    /// What a member is owed in a closed book, scaled by the book's precision.
    type ClosedShares: Store<(u32, AccountId), u128> + Default;
    /// What the community owes its members in each token: taken into books
    /// and not yet paid.
    type Held: Store<AccountId, Balance> + Default;
}

/// The tokens fees are held in, by address, through the checked adapter
/// (on-chain, with the broker's token call limits).
pub trait FeeTokens {
    /// This contract's own balance of `token`.
    fn balance(&mut self, token: AccountId) -> Result<Balance>;
    /// Sends exactly `amount` of `token` to `to`, reading the balance
    /// before and after.
    fn send(&mut self, token: AccountId, to: AccountId, amount: Balance) -> Result<()>;
    /// Sends `amount` of `token` to `to`, who is owed it among `owed` (all
    /// the community owes in `token`), reading the balance once, after: the
    /// community must then hold exactly `owed - amount`
    /// (`p2pcloud_common::Token::send_owed`).
    fn send_owed(
        &mut self,
        token: AccountId,
        to: AccountId,
        amount: Balance,
        owed: Balance,
    ) -> Result<()>;
}

/// The broker as the community sees it, with the tokens fees come in.
pub trait BrokerPort: FeeTokens {
    fn call(&mut self, call: &BrokerCall) -> Result<()>;
    /// Withdraws the community's free balance in the broker (its fees), at
    /// most `limit`, into this contract, and says what the broker sent and
    /// in which token: the stablecoin the broker holds balances in now.
    fn withdraw_fees(&mut self, limit: Balance) -> Result<FeesWithdrawn>;
    /// The stablecoin the broker holds balances in now.
    fn stablecoin(&mut self) -> Result<AccountId>;
}

/// What one fee withdrawal sent, as the broker answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeesWithdrawn {
    pub stablecoin: AccountId,
    pub amount: Balance,
}

/// The broker before `create_broker` ran: no fees can wait in it, and every
/// call on it is refused (`NoBroker`), so proposals that do not touch the
/// broker (members, releases, the community's own code) pass from the start.
pub struct NoBrokerYet;

impl BrokerPort for NoBrokerYet {
    fn call(&mut self, _call: &BrokerCall) -> Result<()> {
        Err(CommunityError::NoBroker)
    }

    fn withdraw_fees(&mut self, _limit: Balance) -> Result<FeesWithdrawn> {
        Err(CommunityError::NoBroker)
    }

    fn stablecoin(&mut self) -> Result<AccountId> {
        Err(CommunityError::NoBroker)
    }
}

impl FeeTokens for NoBrokerYet {
    fn balance(&mut self, _token: AccountId) -> Result<Balance> {
        Err(CommunityError::NoBroker)
    }

    fn send(&mut self, _token: AccountId, _to: AccountId, _amount: Balance) -> Result<()> {
        Err(CommunityError::NoBroker)
    }

    fn send_owed(
        &mut self,
        _token: AccountId,
        _to: AccountId,
        _amount: Balance,
        _owed: Balance,
    ) -> Result<()> {
        Err(CommunityError::NoBroker)
    }
}

pub type Events = Vec<CommunityEvent>;
type Result<T> = core::result::Result<T, CommunityError>;

pub struct CommunityData<M: CommunityMaps> {
    pub config: Config,
    pub(crate) members: M::Members,
    pub(crate) proposals: M::Proposals,
    pub(crate) votes: M::Votes,
    pub(crate) releases: M::Releases,
    pub(crate) release_index: M::ReleaseIndex,
    pub(crate) decisions: M::Decisions,
    pub(crate) member_index: M::MemberIndex,
    pub(crate) member_books: M::MemberBooks,
    pub(crate) closed_books: M::ClosedBooks,
    pub(crate) closed_shares: M::ClosedShares,
    pub(crate) held: M::Held,
}

fn check_rules(rules: &VotingRules) -> Result<()> {
    ensure(
        rules.quorum_bps > 0 && u128::from(rules.quorum_bps) <= BPS_DENOMINATOR,
        CommunityError::QuorumOutOfRange,
    )?;
    ensure(rules.voting_period > 0, CommunityError::ZeroVotingPeriod)?;
    ensure(
        rules.voting_period <= MAX_VOTING_PERIOD,
        CommunityError::VotingPeriodTooLong,
    )?;
    ensure(
        rules.execution_period > 0,
        CommunityError::ZeroExecutionPeriod,
    )
}

impl<M: CommunityMaps> CommunityData<M> {
    /// A community at `this` of `members` (at least one, no duplicates, no
    /// zero weight, neither this contract nor the broker) governing `broker`
    /// (or the broker it will create), sharing fees in `fee_token` first.
    pub fn new(
        this: AccountId,
        members: &[(AccountId, Weight)],
        rules: VotingRules,
        broker: BrokerLink,
        fee_token: AccountId,
    ) -> Result<Self> {
        check_rules(&rules)?;
        ensure(!members.is_empty(), CommunityError::NoMembers)?;
        ensure(
            members.len() <= MAX_INITIAL_MEMBERS,
            CommunityError::TooManyMembers,
        )?;
        let mut data = Self::from_config(Config {
            broker,
            rules,
            member_count: 0,
            total_weight: 0,
            next_proposal_id: 0,
            next_release_id: 0,
            book: FeeBook::open(0, fee_token),
            member_records: 0,
            this,
            token_call_limits: TokenCallLimits::default(),
        });
        for (account, weight) in members {
            data.check_new_member(*account, *weight)?;
            data.set_weight(*account, *weight)?;
        }
        Ok(data)
    }

    /// The core over a stored config (the maps live under their own keys).
    pub fn from_config(config: Config) -> Self {
        Self {
            config,
            members: Default::default(),
            proposals: Default::default(),
            votes: Default::default(),
            releases: Default::default(),
            release_index: Default::default(),
            decisions: Default::default(),
            member_index: Default::default(),
            member_books: Default::default(),
            closed_books: Default::default(),
            closed_shares: Default::default(),
            held: Default::default(),
        }
    }

    // ---- the broker ------------------------------------------------------------

    /// The broker's address, once it exists.
    pub fn broker(&self) -> Result<AccountId> {
        match self.config.broker {
            BrokerLink::At(broker) => Ok(broker),
            BrokerLink::Planned { .. } => Err(CommunityError::NoBroker),
        }
    }

    /// The code and stablecoin `create_broker` instantiates the broker from;
    /// refused once the broker exists, so it is created once.
    pub fn broker_plan(&self) -> Result<(Hash, AccountId)> {
        match self.config.broker {
            BrokerLink::Planned {
                code_hash,
                stablecoin,
            } => Ok((code_hash, stablecoin)),
            BrokerLink::At(_) => Err(CommunityError::BrokerExists),
        }
    }

    /// Records the broker `create_broker` instantiated.
    pub fn broker_created(&mut self, broker: AccountId) -> Result<Events> {
        self.broker_plan()?;
        self.config.broker = BrokerLink::At(broker);
        Ok(vec![CommunityEvent::BrokerCreated(BrokerCreated {
            broker,
        })])
    }

    // ---- members -----------------------------------------------------------------

    pub fn member(&self, account: AccountId) -> Option<Member> {
        self.members.get(&account).filter(|m| m.weight > 0)
    }

    pub fn is_member(&self, account: AccountId) -> bool {
        self.member(account).is_some()
    }

    /// Sets `account`'s weight (0 removes the member) after settling their
    /// shares at the old weight.
    pub(crate) fn set_weight(&mut self, account: AccountId, weight: Weight) -> Result<()> {
        let existing = self.members.get(&account);
        let old = existing.clone().unwrap_or_default();
        let mut member = match &existing {
            Some(member) => self.settle(account, member)?,
            None => {
                self.member_books.insert(&account, &self.config.book.id);
                Member {
                    settled_per_weight: self.config.book.fees_per_weight,
                    ..Member::default()
                }
            }
        };
        let total_weight = new_total_weight(self.config.total_weight, old.weight, weight)?;
        let was_member = old.weight > 0;
        let member_count = match (was_member, weight > 0) {
            (false, true) => self.config.member_count.checked_add(1),
            (true, false) => self.config.member_count.checked_sub(1),
            _ => Some(self.config.member_count),
        }
        .ok_or(CommunityError::Overflow)?;
        let member_records = if existing.is_none() {
            self.config
                .member_records
                .checked_add(1)
                .ok_or(CommunityError::Overflow)?
        } else {
            self.config.member_records
        };

        member.weight = weight;
        member.weight_since = self.config.next_proposal_id;
        if existing.is_none() {
            self.member_index
                .insert(&self.config.member_records, &account);
        }
        self.members.insert(&account, &member);
        self.config.total_weight = total_weight;
        self.config.member_count = member_count;
        self.config.member_records = member_records;
        Ok(())
    }

    pub(crate) fn check_new_member(&self, account: AccountId, weight: Weight) -> Result<()> {
        ensure(weight > 0, CommunityError::ZeroWeight)?;
        ensure(!self.is_contract(account), CommunityError::ContractAsMember)?;
        ensure(!self.is_member(account), CommunityError::AlreadyMember)
    }

    /// This community or its broker: a payout to either would move nothing
    /// (a transfer to oneself) or strand the share in the broker.
    pub(crate) fn is_contract(&self, account: AccountId) -> bool {
        account == self.config.this
            || match self.config.broker {
                BrokerLink::At(broker) => account == broker,
                BrokerLink::Planned { .. } => false,
            }
    }

    /// Adds a member, removes one or changes a weight: checks first, then
    /// collects the fees waiting in the broker (shared by the weights they
    /// arrived under), then applies the change.
    pub(crate) fn change_membership(
        &mut self,
        action: &Action,
        broker: &mut impl BrokerPort,
    ) -> Result<Events> {
        let (account, weight) = match *action {
            Action::AddMember { account, weight } => {
                self.check_new_member(account, weight)?;
                (account, weight)
            }
            Action::RemoveMember { account } => {
                ensure(self.is_member(account), CommunityError::UnknownMember)?;
                ensure(self.config.member_count > 1, CommunityError::LastMember)?;
                (account, 0)
            }
            // A zero weight never gets this far: `propose` refuses it.
            Action::ChangeWeight { account, weight } => {
                ensure(self.is_member(account), CommunityError::UnknownMember)?;
                (account, weight)
            }
            Action::Broker(_) | Action::ApproveRelease(_) | Action::UpgradeCommunity(_) => {
                return Ok(Vec::new())
            }
        };
        let old_weight = self.members.get(&account).map_or(0, |m| m.weight);
        if weight == old_weight {
            // Setting the weight it has changes nothing, not even when the
            // member may vote.
            return Ok(Vec::new());
        }
        new_total_weight(self.config.total_weight, old_weight, weight)?;

        let mut events = self.collect_waiting_fees(broker)?;
        self.set_weight(account, weight)?;
        events.push(match action {
            Action::AddMember { .. } => {
                CommunityEvent::MemberAdded(MemberAdded { account, weight })
            }
            Action::RemoveMember { .. } => CommunityEvent::MemberRemoved(MemberRemoved { account }),
            _ => CommunityEvent::WeightChanged(WeightChanged {
                account,
                old_weight,
                new_weight: weight,
            }),
        });
        Ok(events)
    }
}

/// The total weight once a member's `old` weight becomes `new`: at most
/// `MAX_TOTAL_WEIGHT`, unless it falls (a layout-1 community may weigh more).
fn new_total_weight(total: Weight, old: Weight, new: Weight) -> Result<Weight> {
    let new_total = total
        .checked_sub(old)
        .and_then(|rest| rest.checked_add(new))
        .ok_or(CommunityError::Overflow)?;
    ensure(
        new_total <= MAX_TOTAL_WEIGHT || new_total <= total,
        CommunityError::WeightTooHigh,
    )?;
    Ok(new_total)
}

/// A page over items with ids `0..end`, all present.
pub(crate) fn sequential_page<T, S: Store<u64, T>>(
    items: &S,
    end: u64,
    cursor: Option<u64>,
    limit: u32,
) -> Result<Page<u64, T>> {
    ensure(
        page_limit_in_range(limit),
        CommunityError::PageLimitOutOfRange,
    )?;
    let start = cursor.unwrap_or(0);
    ensure(start <= end, CommunityError::UnknownCursor)?;
    let stop = start.saturating_add(u64::from(limit)).min(end);
    let items = (start..stop)
        .filter_map(|id| items.get(&id).map(|item| (id, item)))
        .collect();
    Ok(Page {
        items,
        next: (stop < end).then_some(stop),
    })
}
