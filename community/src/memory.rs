//! The community core over in-memory maps, for tests and property tests.
use crate::{
    data::{CommunityData, CommunityMaps},
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
