//! The community's events; accounts and proposal ids are topics.
use crate::types::*;
use ink::{
    prelude::string::String,
    primitives::{AccountId, Hash},
};

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalCreated {
    #[ink(topic)]
    pub proposal_id: ProposalId,
    #[ink(topic)]
    pub proposer: AccountId,
    pub action: Action,
    pub voting_ends: Timestamp,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voted {
    #[ink(topic)]
    pub proposal_id: ProposalId,
    #[ink(topic)]
    pub voter: AccountId,
    pub yes: bool,
    pub weight: Weight,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalExecuted {
    #[ink(topic)]
    pub proposal_id: ProposalId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAdded {
    #[ink(topic)]
    pub account: AccountId,
    pub weight: Weight,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRemoved {
    #[ink(topic)]
    pub account: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightChanged {
    #[ink(topic)]
    pub account: AccountId,
    pub old_weight: Weight,
    pub new_weight: Weight,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseApproved {
    #[ink(topic)]
    pub release_id: ReleaseId,
    pub kind: ReleaseKind,
    pub name: String,
    pub version: String,
    pub content_hash: Hash,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeesCollected {
    pub amount: Balance,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareClaimed {
    #[ink(topic)]
    pub member: AccountId,
    pub amount: Balance,
}

/// What a core operation returns for the contract to emit, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunityEvent {
    ProposalCreated(ProposalCreated),
    Voted(Voted),
    ProposalExecuted(ProposalExecuted),
    MemberAdded(MemberAdded),
    MemberRemoved(MemberRemoved),
    WeightChanged(WeightChanged),
    ReleaseApproved(ReleaseApproved),
    FeesCollected(FeesCollected),
    ShareClaimed(ShareClaimed),
    BrokerCreated(BrokerCreated),
    CommunityCodeUpgraded(CommunityCodeUpgraded),
}

/// A passed proposal replaced the community's code.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityCodeUpgraded {
    pub code_hash: Hash,
}

/// `create_broker` instantiated the broker this community governs.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerCreated {
    #[ink(topic)]
    pub broker: AccountId,
}
