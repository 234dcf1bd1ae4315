//! The community's events; accounts and proposal ids are topics.
use crate::types::*;
use ink::{
    prelude::string::String,
    primitives::{AccountId, Hash},
};

/// A member proposed `action`; votes are taken until `voting_ends` (block
/// time in milliseconds).
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

/// A member voted on the proposal (`yes`: for it) with their `weight`.
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

/// A passed proposal's action ran; the action's own events come just before.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalExecuted {
    #[ink(topic)]
    pub proposal_id: ProposalId,
}

/// A passed proposal made `account` a member with `weight`.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAdded {
    #[ink(topic)]
    pub account: AccountId,
    pub weight: Weight,
}

/// A passed proposal removed the member; their share of fees collected until
/// then stays claimable.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRemoved {
    #[ink(topic)]
    pub account: AccountId,
}

/// A passed proposal changed the member's weight; fees waiting in the broker
/// were collected first and shared at the old weights.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightChanged {
    #[ink(topic)]
    pub account: AccountId,
    pub old_weight: Weight,
    pub new_weight: Weight,
}

/// A passed proposal approved a protocol or SDK release; clients check
/// artifacts against `content_hash`.
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

/// `amount` of fees in `token` came from the broker and was shared over the
/// current weights (by `collect_fees`, before a membership change or a
/// stablecoin change, or as the old token's last fees when its book closed).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeesCollected {
    pub amount: Balance,
    pub token: AccountId,
}

/// `amount` of `token` went to `member` (or former member), by their claim
/// or a `pay_out_shares` batch.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareClaimed {
    #[ink(topic)]
    pub member: AccountId,
    pub amount: Balance,
    pub token: AccountId,
}

/// Fees are shared in book `book`, in `token`, from now on: the broker's
/// stablecoin changed, or the last book was full. Shares of a closed book
/// stay payable in its token.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeBookOpened {
    pub book: u32,
    pub token: AccountId,
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
    FeeBookOpened(FeeBookOpened),
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
