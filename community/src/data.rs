//! The community's rules as plain Rust: members and weights, proposals and
//! votes, release approvals and fee shares. Callers and time come in as
//! arguments, calls on the broker and the token go through traits, events
//! come back. A failed operation returns an error before it writes anything.
use crate::{errors::CommunityError, events::*, types::*};
use ink::{
    env::hash::Blake2x256,
    prelude::{string::String, vec, vec::Vec},
    primitives::{AccountId, Hash},
};
use p2pcloud_common::{ensure, ensure_change, Page, Store, Token, MAX_PAGE_LIMIT};

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
}

/// The broker as the community sees it.
pub trait BrokerPort {
    fn call(&mut self, call: &BrokerCall) -> Result<()>;
    /// The community's free balance in the broker: the fees waiting for it.
    fn fees_waiting(&mut self) -> Result<Balance>;
    /// Withdraws `amount` of the community's broker balance into this contract.
    fn withdraw(&mut self, amount: Balance) -> Result<()>;
    /// This contract's own balance of the broker's stablecoin.
    fn token_balance(&mut self) -> Result<Balance>;
}

/// Withdraws every fee waiting in the broker and returns how much arrived,
/// refusing if this contract's token balance did not grow by exactly that.
fn withdraw_waiting_fees(broker: &mut impl BrokerPort) -> Result<Balance> {
    let waiting = broker.fees_waiting()?;
    if waiting == 0 {
        return Ok(0);
    }
    let before = broker.token_balance()?;
    broker.withdraw(waiting)?;
    let after = broker.token_balance()?;
    ensure_change(before, after, waiting)?;
    Ok(waiting)
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
    /// A community of `members` (at least one, no duplicates, no zero weight)
    /// governing `broker`.
    pub fn new(
        members: &[(AccountId, Weight)],
        rules: VotingRules,
        broker: AccountId,
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
            fees_per_weight: 0,
            undistributed_scaled: 0,
            total_collected: 0,
            total_claimed: 0,
            member_records: 0,
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
        }
    }

    // ---- proposals and votes --------------------------------------------------

    pub fn propose(
        &mut self,
        caller: AccountId,
        action: Action,
        description: String,
        now: Timestamp,
    ) -> Result<(ProposalId, Events)> {
        ensure(self.is_member(caller), CommunityError::NotMember)?;
        ensure(
            description.len() <= MAX_DESCRIPTION_LEN,
            CommunityError::DescriptionTooLong,
        )?;
        self.check_action(&action)?;
        let proposal_id = self.config.next_proposal_id;
        let next = proposal_id.checked_add(1).ok_or(CommunityError::Overflow)?;
        let voting_ends = now
            .checked_add(self.config.rules.voting_period)
            .ok_or(CommunityError::Overflow)?;

        self.config.next_proposal_id = next;
        let proposal = Proposal {
            proposer: caller,
            action,
            description,
            created_at: now,
            voting_ends,
            total_weight: self.config.total_weight,
            yes: 0,
            no: 0,
            executed: false,
        };
        self.proposals.insert(&proposal_id, &proposal);
        let event = ProposalCreated {
            proposal_id,
            proposer: caller,
            action: proposal.action,
            voting_ends,
        };
        Ok((proposal_id, vec![CommunityEvent::ProposalCreated(event)]))
    }

    pub fn vote(
        &mut self,
        caller: AccountId,
        proposal_id: ProposalId,
        yes: bool,
        now: Timestamp,
    ) -> Result<Events> {
        let mut proposal = self.proposal(proposal_id)?;
        ensure(now < proposal.voting_ends, CommunityError::VotingClosed)?;
        let member = self
            .members
            .get(&caller)
            .filter(|m| m.weight > 0)
            .ok_or(CommunityError::NotMember)?;
        ensure(
            member.weight_since <= proposal_id,
            CommunityError::WeightChangedSinceProposal,
        )?;
        ensure(
            self.votes.get(&(proposal_id, caller)).is_none(),
            CommunityError::AlreadyVoted,
        )?;
        let tally = if yes {
            &mut proposal.yes
        } else {
            &mut proposal.no
        };
        *tally = tally
            .checked_add(member.weight)
            .ok_or(CommunityError::Overflow)?;

        self.votes.insert(&(proposal_id, caller), &yes);
        self.proposals.insert(&proposal_id, &proposal);
        let event = Voted {
            proposal_id,
            voter: caller,
            yes,
            weight: member.weight,
        };
        Ok(vec![CommunityEvent::Voted(event)])
    }

    /// Runs a passed proposal's action. Anyone may call it, once; if the action
    /// fails the proposal stays executable until its execution period ends.
    pub fn execute(
        &mut self,
        proposal_id: ProposalId,
        now: Timestamp,
        broker: &mut impl BrokerPort,
    ) -> Result<Events> {
        let mut proposal = self.proposal(proposal_id)?;
        match self.state(&proposal, now) {
            ProposalState::Passed => {}
            ProposalState::Voting => return Err(CommunityError::VotingOpen),
            ProposalState::Rejected => return Err(CommunityError::NotPassed),
            ProposalState::Expired => return Err(CommunityError::Expired),
            ProposalState::Executed => return Err(CommunityError::AlreadyExecuted),
        }
        // A stale decision never overwrites a newer one on the same subject.
        let subject = proposal.action.subject();
        if let Some(newest) = subject.and_then(|subject| self.decisions.get(&subject)) {
            ensure(newest < proposal_id, CommunityError::Superseded)?;
        }
        let mut events = match &proposal.action {
            Action::Broker(call) => self.call_broker(call, broker)?,
            Action::AddMember { .. }
            | Action::RemoveMember { .. }
            | Action::ChangeWeight { .. } => self.change_membership(&proposal.action, broker)?,
            Action::ApproveRelease(release) => self.approve_release(release)?,
        };
        proposal.executed = true;
        self.proposals.insert(&proposal_id, &proposal);
        if let Some(subject) = subject {
            self.decisions.insert(&subject, &proposal_id);
        }
        events.push(CommunityEvent::ProposalExecuted(ProposalExecuted {
            proposal_id,
        }));
        Ok(events)
    }

    pub fn get_proposal(&self, proposal_id: ProposalId) -> Option<Proposal> {
        self.proposals.get(&proposal_id)
    }

    pub fn proposal_state(&self, proposal_id: ProposalId, now: Timestamp) -> Option<ProposalState> {
        self.proposals
            .get(&proposal_id)
            .map(|proposal| self.state(&proposal, now))
    }

    /// How `voter` voted on the proposal, if they did.
    pub fn vote_of(&self, proposal_id: ProposalId, voter: AccountId) -> Option<bool> {
        self.votes.get(&(proposal_id, voter))
    }

    /// Proposals in the order they were made, from `cursor` (a proposal id).
    pub fn proposals(
        &self,
        cursor: Option<ProposalId>,
        limit: u32,
    ) -> Result<Page<ProposalId, Proposal>> {
        sequential_page(&self.proposals, self.config.next_proposal_id, cursor, limit)
    }

    // ---- releases --------------------------------------------------------------

    pub fn is_release_approved(&self, name: &str, version: &str, content_hash: Hash) -> bool {
        self.release_index
            .get(&release_key(name, version, content_hash))
            .is_some()
    }

    pub fn releases(
        &self,
        cursor: Option<ReleaseId>,
        limit: u32,
    ) -> Result<Page<ReleaseId, Release>> {
        sequential_page(&self.releases, self.config.next_release_id, cursor, limit)
    }

    // ---- members -----------------------------------------------------------------

    pub fn member(&self, account: AccountId) -> Option<Member> {
        self.members.get(&account).filter(|m| m.weight > 0)
    }

    pub fn is_member(&self, account: AccountId) -> bool {
        self.member(account).is_some()
    }

    // ---- fees --------------------------------------------------------------------

    /// Withdraws the community's fees from the broker and spreads them over
    /// the current weight.
    pub fn collect_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        let received = withdraw_waiting_fees(broker)?;
        ensure(received > 0, CommunityError::NothingToCollect)?;
        self.distribute(received)
    }

    /// Collects the fees waiting in the broker before a membership or weight
    /// change, so they are shared by the weights in force while they arrived:
    /// a member who joins, or gains weight, gets nothing of fees earned before.
    fn collect_waiting_fees(&mut self, broker: &mut impl BrokerPort) -> Result<Events> {
        match withdraw_waiting_fees(broker)? {
            0 => Ok(Vec::new()),
            received => self.distribute(received),
        }
    }

    /// Spreads `received`, now held by the community, over the current weight.
    fn distribute(&mut self, received: Balance) -> Result<Events> {
        let total_weight = u128::from(self.config.total_weight);
        let scaled = received
            .checked_mul(SHARE_PRECISION)
            .and_then(|s| s.checked_add(self.config.undistributed_scaled))
            .ok_or(CommunityError::Overflow)?;
        let per_weight = scaled
            .checked_div(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let remainder = scaled
            .checked_rem(total_weight)
            .ok_or(CommunityError::Overflow)?;
        let fees_per_weight = self
            .config
            .fees_per_weight
            .checked_add(per_weight)
            .ok_or(CommunityError::Overflow)?;
        let total_collected = self
            .config
            .total_collected
            .checked_add(received)
            .ok_or(CommunityError::Overflow)?;

        self.config.fees_per_weight = fees_per_weight;
        self.config.undistributed_scaled = remainder;
        self.config.total_collected = total_collected;
        Ok(vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: received,
        })])
    }

    /// What `account` could claim right now.
    pub fn claimable(&self, account: AccountId) -> Balance {
        self.members
            .get(&account)
            .and_then(|member| self.settled(&member).ok())
            .map_or(0, |member| whole_units(member.owed_scaled))
    }

    /// Pays the caller their share of the fees collected so far.
    pub fn claim_share(&mut self, caller: AccountId, token: &mut impl Token) -> Result<Events> {
        let member = self.members.get(&caller).ok_or(CommunityError::NotMember)?;
        let mut member = self.settled(&member)?;
        let amount = whole_units(member.owed_scaled);
        ensure(amount > 0, CommunityError::NothingToClaim)?;
        member.owed_scaled = member
            .owed_scaled
            .checked_rem(SHARE_PRECISION)
            .ok_or(CommunityError::Overflow)?;
        let total_claimed = self
            .config
            .total_claimed
            .checked_add(amount)
            .ok_or(CommunityError::Overflow)?;
        token.send_to(caller, amount)?;

        self.members.insert(&caller, &member);
        self.config.total_claimed = total_claimed;
        Ok(vec![CommunityEvent::ShareClaimed(ShareClaimed {
            member: caller,
            amount,
        })])
    }

    // ---- internals ---------------------------------------------------------------

    fn proposal(&self, proposal_id: ProposalId) -> Result<Proposal> {
        self.proposals
            .get(&proposal_id)
            .ok_or(CommunityError::UnknownProposal)
    }

    fn state(&self, proposal: &Proposal, now: Timestamp) -> ProposalState {
        if proposal.executed {
            return ProposalState::Executed;
        }
        if now < proposal.voting_ends {
            return ProposalState::Voting;
        }
        // Quorum: yes * 10000 >= quorum_bps * total, in u128 so it cannot overflow.
        let yes = u128::from(proposal.yes).saturating_mul(BPS_DENOMINATOR);
        let needed = u128::from(self.config.rules.quorum_bps)
            .saturating_mul(u128::from(proposal.total_weight));
        if yes < needed || proposal.yes <= proposal.no {
            return ProposalState::Rejected;
        }
        let execution_ends = proposal
            .voting_ends
            .saturating_add(self.config.rules.execution_period);
        if now >= execution_ends {
            ProposalState::Expired
        } else {
            ProposalState::Passed
        }
    }

    /// Refuses actions that could never execute, at proposal time.
    fn check_action(&self, action: &Action) -> Result<()> {
        match action {
            Action::AddMember { weight, .. } | Action::ChangeWeight { weight, .. } => {
                ensure(*weight > 0, CommunityError::ZeroWeight)
            }
            Action::ApproveRelease(release) => ensure(
                release.name.len() <= MAX_RELEASE_FIELD_LEN
                    && release.version.len() <= MAX_RELEASE_FIELD_LEN,
                CommunityError::ReleaseFieldTooLong,
            ),
            Action::RemoveMember { .. } | Action::Broker(_) => Ok(()),
        }
    }

    fn call_broker(&mut self, call: &BrokerCall, broker: &mut impl BrokerPort) -> Result<Events> {
        if let BrokerCall::SetStablecoin(_) = call {
            ensure(
                self.unclaimed_fees() <= u128::from(self.config.member_records),
                CommunityError::UnclaimedFees,
            )?;
        }
        broker.call(call)?;
        Ok(Vec::new())
    }

    /// Collected and not claimed: member shares not yet claimed plus rounding.
    fn unclaimed_fees(&self) -> Balance {
        self.config
            .total_collected
            .saturating_sub(self.config.total_claimed)
    }

    /// The member with their share of fees collected so far settled.
    fn settled(&self, member: &Member) -> Result<Member> {
        let delta = self
            .config
            .fees_per_weight
            .checked_sub(member.settled_per_weight)
            .ok_or(CommunityError::Overflow)?;
        let earned = delta
            .checked_mul(u128::from(member.weight))
            .ok_or(CommunityError::Overflow)?;
        Ok(Member {
            owed_scaled: member
                .owed_scaled
                .checked_add(earned)
                .ok_or(CommunityError::Overflow)?,
            settled_per_weight: self.config.fees_per_weight,
            ..member.clone()
        })
    }

    /// Sets `account`'s weight (0 removes the member) after settling their
    /// shares at the old weight.
    fn set_weight(&mut self, account: AccountId, weight: Weight) -> Result<()> {
        let existing = self.members.get(&account);
        let old = existing.clone().unwrap_or_default();
        let mut member = match &existing {
            Some(member) => self.settled(member)?,
            None => Member {
                settled_per_weight: self.config.fees_per_weight,
                ..Member::default()
            },
        };
        let total_weight = self
            .config
            .total_weight
            .checked_sub(old.weight)
            .and_then(|t| t.checked_add(weight))
            .ok_or(CommunityError::Overflow)?;
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
        self.members.insert(&account, &member);
        self.config.total_weight = total_weight;
        self.config.member_count = member_count;
        self.config.member_records = member_records;
        Ok(())
    }

    fn check_new_member(&self, account: AccountId, weight: Weight) -> Result<()> {
        ensure(weight > 0, CommunityError::ZeroWeight)?;
        ensure(!self.is_member(account), CommunityError::AlreadyMember)
    }

    /// Adds a member, removes one or changes a weight: checks first, then
    /// collects the fees waiting in the broker (shared by the weights they
    /// arrived under), then applies the change.
    fn change_membership(
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
            Action::Broker(_) | Action::ApproveRelease(_) => return Ok(Vec::new()),
        };
        let old_weight = self.members.get(&account).map_or(0, |m| m.weight);
        if weight == old_weight {
            // Setting the weight it has changes nothing, not even when the
            // member may vote.
            return Ok(Vec::new());
        }
        self.config
            .total_weight
            .checked_sub(old_weight)
            .and_then(|total| total.checked_add(weight))
            .ok_or(CommunityError::Overflow)?;

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

    fn approve_release(&mut self, release: &Release) -> Result<Events> {
        let key = release_key(&release.name, &release.version, release.content_hash);
        ensure(
            self.release_index.get(&key).is_none(),
            CommunityError::ReleaseAlreadyApproved,
        )?;
        let release_id = self.config.next_release_id;
        self.config.next_release_id = release_id.checked_add(1).ok_or(CommunityError::Overflow)?;
        self.releases.insert(&release_id, release);
        self.release_index.insert(&key, &release_id);
        Ok(vec![CommunityEvent::ReleaseApproved(ReleaseApproved {
            release_id,
            kind: release.kind,
            name: release.name.clone(),
            version: release.version.clone(),
            content_hash: release.content_hash,
        })])
    }
}

/// The BLAKE2-256 hash of the encoded `(name, version, content_hash)`.
fn release_key(name: &str, version: &str, content_hash: Hash) -> [u8; 32] {
    let mut key = [0u8; 32];
    ink::env::hash_encoded::<Blake2x256, _>(&(name, version, content_hash), &mut key);
    key
}

fn whole_units(scaled: u128) -> Balance {
    scaled.checked_div(SHARE_PRECISION).unwrap_or_default()
}

/// A page over items with ids `0..end`, all present.
fn sequential_page<T, S: Store<u64, T>>(
    items: &S,
    end: u64,
    cursor: Option<u64>,
    limit: u32,
) -> Result<Page<u64, T>> {
    ensure(
        limit > 0 && limit <= MAX_PAGE_LIMIT,
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
