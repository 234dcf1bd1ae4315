//! The community core over in-memory maps, for tests and property tests.
use crate::{
    data::{BrokerPort, CommunityData, CommunityMaps},
    errors::CommunityError,
    types::*,
};
use ink::primitives::AccountId;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InMemory {}

impl CommunityMaps for InMemory {
    type Members = BTreeMap<AccountId, Member>;
    type Proposals = BTreeMap<ProposalId, Proposal>;
    type Votes = BTreeMap<(ProposalId, AccountId), bool>;
    type Releases = BTreeMap<ReleaseId, Release>;
    type ReleaseIndex = BTreeMap<[u8; 32], ReleaseId>;
    type Decisions = BTreeMap<Subject, ProposalId>;
    type MemberIndex = BTreeMap<u32, AccountId>;
}

pub type MemoryCommunity = CommunityData<InMemory>;

impl MemoryCommunity {
    /// Every member record, former members included, for invariant checks.
    pub fn member_records(&self) -> impl Iterator<Item = (&AccountId, &Member)> {
        self.members.iter()
    }
}

impl Clone for MemoryCommunity {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            members: self.members.clone(),
            proposals: self.proposals.clone(),
            votes: self.votes.clone(),
            releases: self.releases.clone(),
            release_index: self.release_index.clone(),
            decisions: self.decisions.clone(),
            member_index: self.member_index.clone(),
        }
    }
}

impl PartialEq for MemoryCommunity {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config
            && self.members == other.members
            && self.proposals == other.proposals
            && self.votes == other.votes
            && self.releases == other.releases
            && self.release_index == other.release_index
            && self.decisions == other.decisions
            && self.member_index == other.member_index
    }
}

impl core::fmt::Debug for MemoryCommunity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryCommunity")
            .field("config", &self.config)
            .field("members", &self.members)
            .field("proposals", &self.proposals)
            .finish_non_exhaustive()
    }
}

/// The broker as the community sees it, in memory: records calls, can refuse
/// them, holds `fees` waiting for the community and pays them into
/// `community_tokens`, less `shortfall` (a token that delivers less than said).
#[derive(Debug, Clone, Default)]
pub struct FakeBroker {
    pub calls: Vec<BrokerCall>,
    pub refuse_with: Option<CommunityError>,
    pub fees: Balance,
    pub community_tokens: Balance,
    pub shortfall: Balance,
}

impl FakeBroker {
    pub fn with_fees(fees: Balance) -> Self {
        Self {
            fees,
            ..Self::default()
        }
    }

    fn answer(&self) -> Result<(), CommunityError> {
        self.refuse_with.map_or(Ok(()), Err)
    }
}

impl BrokerPort for FakeBroker {
    fn call(&mut self, call: &BrokerCall) -> Result<(), CommunityError> {
        self.answer()?;
        self.calls.push(call.clone());
        Ok(())
    }

    fn fees_waiting(&mut self) -> Result<Balance, CommunityError> {
        self.answer()?;
        Ok(self.fees)
    }

    fn withdraw(&mut self, amount: Balance) -> Result<(), CommunityError> {
        self.answer()?;
        self.fees = self
            .fees
            .checked_sub(amount)
            .expect("withdraw within the fees");
        let arrived = amount.saturating_sub(self.shortfall);
        self.community_tokens = self
            .community_tokens
            .checked_add(arrived)
            .expect("no overflow");
        Ok(())
    }

    fn token_balance(&mut self) -> Result<Balance, CommunityError> {
        self.answer()?;
        Ok(self.community_tokens)
    }
}
