use ink::{
    prelude::string::String,
    primitives::{AccountId, Hash},
};
use p2pcloud_common::TokenCallLimits;
pub use p2pcloud_common::{Balance, Timestamp, BPS_DENOMINATOR};

pub type ProposalId = u64;
pub type ReleaseId = u64;
pub type Weight = u64;

/// Most members the constructor takes (keeps instantiation bounded).
pub const MAX_INITIAL_MEMBERS: usize = 64;
/// Longest proposal description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 512;
/// The longest voting period: 90 days, so every vote ends while its voters
/// are still around to see it.
pub const MAX_VOTING_PERIOD: Timestamp = 90 * 24 * 60 * 60 * 1_000;
/// Longest release name or version, in bytes.
pub const MAX_RELEASE_FIELD_LEN: usize = 64;
/// Shares are tracked per unit of weight, scaled by this, so rounding loses
/// at most one unit per member per claim and the rest stays claimable.
/// 2^17: a whole book of `MAX_BOOK_FEES` scaled fits a u128 (2^127).
pub const SHARE_PRECISION: u128 = 1 << 17;
/// The most all members may weigh together (2^32): keeps the rounding rest a
/// collection carries, less than `total_weight / SHARE_PRECISION` units,
/// under 2^15 units.
pub const MAX_TOTAL_WEIGHT: Weight = 1 << 32;
/// The most member records one `pay_out_shares` call pays.
pub const MAX_PAYOUT_BATCH: u32 = 16;
/// The most fees one book takes, the broker's own cap on all it holds
/// (2^110): every share product of a book stays inside a u128 (2^110 ×
/// 2^17 = 2^127, and a member's share is at most the book's). A collection
/// past it opens a new book in the same token; whatever the broker pays the
/// community at once fits a fresh book.
pub const MAX_BOOK_FEES: Balance = 1 << 110;

/// How proposals are decided, fixed at instantiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct VotingRules {
    /// Share of the total weight (at proposal time) that must vote yes, in
    /// basis points: 1 to 10 000.
    pub quorum_bps: u16,
    /// How long a proposal is open for votes, in milliseconds.
    pub voting_period: Timestamp,
    /// How long a passed proposal can be executed after voting closes.
    pub execution_period: Timestamp,
}

/// A call the community makes on the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum BrokerCall {
    SetCommunityFee(u16),
    SetStablecoin(AccountId),
    /// Offers the broker to a successor community contract, which takes it
    /// when it accepts (by its own vote, `AcceptCommunity`).
    SetCommunityContract(AccountId),
    UpgradeCode(Hash),
    /// Stops a booking with reason `CommunityTerminated`.
    TerminateBooking(u64),
    /// What each call of the broker into its stablecoin may spend.
    SetTokenCallLimits(TokenCallLimits),
    /// Takes over the broker this community was offered (see `SetCommunityContract`).
    AcceptCommunity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum ReleaseKind {
    Protocol,
    Sdk,
}

/// A protocol or SDK release the members voted for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Release {
    pub kind: ReleaseKind,
    pub name: String,
    pub version: String,
    /// Hash of the released artifact, as clients compute it.
    pub content_hash: Hash,
}

/// What a proposal does when executed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum Action {
    Broker(BrokerCall),
    AddMember {
        account: AccountId,
        weight: Weight,
    },
    RemoveMember {
        account: AccountId,
    },
    ChangeWeight {
        account: AccountId,
        weight: Weight,
    },
    ApproveRelease(Release),
    /// Replaces this community's own code; its storage is kept (anyone then
    /// runs `migrate_storage` if the new build's layout is newer).
    UpgradeCommunity(Hash),
}

/// What an action sets, where a later decision replaces an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum Subject {
    CommunityFee,
    Stablecoin,
    CommunityContract,
    Code,
    TokenCallLimits,
    Membership(AccountId),
    CommunityCode,
}

impl Action {
    /// What the action sets, if a newer decision on it would supersede it.
    pub fn subject(&self) -> Option<Subject> {
        match self {
            Action::Broker(BrokerCall::SetCommunityFee(_)) => Some(Subject::CommunityFee),
            Action::Broker(BrokerCall::SetStablecoin(_)) => Some(Subject::Stablecoin),
            Action::Broker(BrokerCall::SetCommunityContract(_)) => Some(Subject::CommunityContract),
            Action::Broker(BrokerCall::UpgradeCode(_)) => Some(Subject::Code),
            Action::Broker(BrokerCall::SetTokenCallLimits(_)) => Some(Subject::TokenCallLimits),
            Action::UpgradeCommunity(_) => Some(Subject::CommunityCode),
            Action::AddMember { account, .. }
            | Action::RemoveMember { account }
            | Action::ChangeWeight { account, .. } => Some(Subject::Membership(*account)),
            Action::Broker(BrokerCall::TerminateBooking(_) | BrokerCall::AcceptCommunity)
            | Action::ApproveRelease(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum ProposalState {
    /// Open for votes.
    Voting,
    /// Voting closed with enough yes; can be executed until the execution period ends.
    Passed,
    /// Voting closed without quorum, or with no-weight at least the yes-weight.
    Rejected,
    /// Passed but not executed in time.
    Expired,
    Executed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Proposal {
    pub proposer: AccountId,
    pub action: Action,
    pub description: String,
    pub created_at: Timestamp,
    /// Voting is open while `now < voting_ends`.
    pub voting_ends: Timestamp,
    /// Total weight when the proposal was made: the quorum's base.
    pub total_weight: Weight,
    pub yes: Weight,
    pub no: Weight,
    pub executed: bool,
}

/// A member, or a former member with shares left to claim (weight 0).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Member {
    pub weight: Weight,
    /// Proposals with an id below this were made before the weight was last
    /// set; the member cannot vote on them (so a weight change mid-vote
    /// cannot add weight to a vote).
    pub weight_since: ProposalId,
    /// The book's `fees_per_weight` when this member's share was last settled
    /// (the book is the one `member_books` names).
    pub settled_per_weight: u128,
    /// Settled and unclaimed in that book, scaled by its precision.
    pub owed_scaled: u128,
}

/// The fees of one token as they are shared: the book fees are collected
/// into now. It closes when the broker's stablecoin changes (its shares stay
/// payable in its own token) or when it is full (`MAX_BOOK_FEES`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct FeeBook {
    /// Books are numbered from 0 in the order they opened.
    pub id: u32,
    /// The token its fees arrived in and its shares are paid in.
    pub token: AccountId,
    /// Fees shared per unit of weight since the book opened, scaled.
    pub fees_per_weight: u128,
    /// Shared but not yet spread over weight (rounding remainder), scaled.
    pub undistributed_scaled: u128,
    /// All the fees the book took, at most `MAX_BOOK_FEES`.
    pub collected: Balance,
}

impl FeeBook {
    pub fn open(id: u32, token: AccountId) -> Self {
        Self {
            id,
            token,
            fees_per_weight: 0,
            undistributed_scaled: 0,
            collected: 0,
        }
    }
}

/// What is kept of a book once it closed: enough to settle any member's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ClosedBook {
    pub token: AccountId,
    pub fees_per_weight: u128,
    /// What its shares are scaled by: `SHARE_PRECISION`, or 10^12 for the
    /// book a layout-1 community kept.
    pub precision: u128,
}

/// The broker a community governs: the one `create_broker` will instantiate
/// (from uploaded code, with this stablecoin), or one that runs at an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum BrokerLink {
    Planned {
        code_hash: Hash,
        stablecoin: AccountId,
    },
    At(AccountId),
}

/// The community's settings and counters, kept under their own key (the root
/// holds only the layout version).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Config {
    /// The broker governed; fees are collected in its stablecoin.
    pub broker: BrokerLink,
    pub rules: VotingRules,
    pub member_count: u32,
    pub total_weight: Weight,
    pub next_proposal_id: ProposalId,
    pub next_release_id: ReleaseId,
    /// The book fees are shared in now.
    pub book: FeeBook,
    /// Accounts that ever held a member record; each keeps less than one
    /// unit of rounding dust, which bounds what can stay unclaimed for good.
    pub member_records: u32,
    /// This contract's own address: it can never be its own member.
    pub this: AccountId,
    /// What each of the community's own token calls may spend: the limits
    /// it last set on the broker (the default until then).
    pub token_call_limits: TokenCallLimits,
}
