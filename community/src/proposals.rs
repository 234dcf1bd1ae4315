//! Proposals, votes and their execution, and the releases they approve.
use crate::{
    data::{sequential_page, BrokerPort, CommunityData, CommunityMaps, Events},
    errors::CommunityError,
    events::*,
    types::*,
};
use ink::{
    env::hash::Blake2x256,
    prelude::{string::String, vec, vec::Vec},
    primitives::{AccountId, Hash},
};
use p2pcloud_common::{ensure, Page, Store};

type Result<T> = core::result::Result<T, CommunityError>;

impl<M: CommunityMaps> CommunityData<M> {
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
            // The contract swaps the code once this execution succeeds.
            Action::UpgradeCommunity(code_hash) => vec![CommunityEvent::CommunityCodeUpgraded(
                CommunityCodeUpgraded {
                    code_hash: *code_hash,
                },
            )],
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
            Action::AddMember { account, weight } => {
                ensure(*weight > 0, CommunityError::ZeroWeight)?;
                ensure(*weight <= MAX_TOTAL_WEIGHT, CommunityError::WeightTooHigh)?;
                ensure(
                    !self.is_contract(*account),
                    CommunityError::ContractAsMember,
                )
            }
            // Its bound is checked when it runs: lowering a weight past the
            // bound (a layout-1 community's) is allowed.
            Action::ChangeWeight { weight, .. } => ensure(*weight > 0, CommunityError::ZeroWeight),
            Action::ApproveRelease(release) => ensure(
                release.name.len() <= MAX_RELEASE_FIELD_LEN
                    && release.version.len() <= MAX_RELEASE_FIELD_LEN,
                CommunityError::ReleaseFieldTooLong,
            ),
            Action::RemoveMember { .. } | Action::Broker(_) | Action::UpgradeCommunity(_) => Ok(()),
        }
    }

    fn call_broker(&mut self, call: &BrokerCall, broker: &mut impl BrokerPort) -> Result<Events> {
        // What waits in the old token is shared under today's weights, in
        // that token's book, before the migration starts. A token that fails
        // the collection must not keep the community from leaving it: what
        // arrived short (a fee on transfer) or what the migration pays the
        // community later (a token call that failed inside the broker) is
        // shared by the next collection, in the same book. A failed
        // withdrawal changes nothing in the broker, and `collect_in_book`
        // writes nothing unless it succeeds.
        let mut events = Vec::new();
        if let BrokerCall::SetStablecoin(_) = call {
            match broker.withdraw_fees(MAX_BOOK_FEES) {
                Ok(withdrawn) => {
                    events.extend(self.follow_stablecoin(broker, withdrawn.stablecoin)?);
                    events.extend(
                        self.collect_in_book(broker, withdrawn.amount)
                            .unwrap_or_default(),
                    );
                }
                // The broker answered that its token call failed (a broker
                // that did not answer stops the change, as any call would).
                Err(CommunityError::Broker(_)) => {
                    let stablecoin = broker.stablecoin()?;
                    events.extend(self.follow_stablecoin(broker, stablecoin)?);
                }
                Err(error) => return Err(error),
            }
        }
        broker.call(call)?;
        if let BrokerCall::SetTokenCallLimits(limits) = call {
            // The community's own token calls use what it last chose, so a
            // successor that takes the broker cannot starve its payouts.
            self.config.token_call_limits = *limits;
        }
        Ok(events)
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
