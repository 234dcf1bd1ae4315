use p2pcloud_common::{BrokerError, TokenError};

/// Every way a community message can fail. A failed message changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum CommunityError {
    /// Only members may propose and vote; only members and former members may
    /// claim a share.
    NotMember,
    /// No proposal has this id.
    UnknownProposal,
    /// Each member votes once per proposal.
    AlreadyVoted,
    /// The voting period of the proposal is over.
    VotingClosed,
    /// The proposal can only be executed after its voting period.
    VotingOpen,
    /// The proposal missed the quorum or had at least as much no as yes.
    NotPassed,
    /// The proposal passed but its execution period is over.
    Expired,
    /// The proposal was executed already; a proposal runs once.
    AlreadyExecuted,
    /// The member's weight changed after the proposal was made.
    WeightChangedSinceProposal,
    /// The instantiation named no member.
    NoMembers,
    /// The instantiation named more members than it takes.
    TooManyMembers,
    /// A member's weight must be above zero; use `RemoveMember` to remove one.
    ZeroWeight,
    /// The account is a member already (or named twice); use `ChangeWeight`.
    AlreadyMember,
    /// The account is not a member.
    UnknownMember,
    /// The last member cannot be removed.
    LastMember,
    /// The quorum runs from 1 to 10 000 basis points.
    QuorumOutOfRange,
    /// The voting period must be above zero.
    ZeroVotingPeriod,
    /// Voting periods are at most `MAX_VOTING_PERIOD` (90 days).
    VotingPeriodTooLong,
    /// A passed proposal needs time to be executed.
    ZeroExecutionPeriod,
    /// A newer proposal on the same subject was executed already.
    Superseded,
    /// A proposal's description is at most 512 bytes.
    DescriptionTooLong,
    /// A release's name and version are at most 64 bytes each.
    ReleaseFieldTooLong,
    /// A release with this name, version and content hash is approved already.
    ReleaseAlreadyApproved,
    /// No fees wait in the broker for the community.
    NothingToCollect,
    /// The caller's share of collected fees is below one whole unit.
    NothingToClaim,
    /// Page limits run from 1 to `MAX_PAGE_LIMIT` (100).
    PageLimitOutOfRange,
    /// The cursor is past the last item of the list.
    UnknownCursor,
    /// The result would not fit its integer type (for instance weights summing
    /// past `u64::MAX`).
    Overflow,
    /// The broker refused the call.
    Broker(BrokerError),
    /// The broker call trapped or reached no broker.
    BrokerCallFailed,
    /// Instantiating the broker failed.
    BrokerInstantiationFailed,
    /// The broker is not created yet: call `create_broker` first.
    NoBroker,
    /// The broker exists already; it is created once.
    BrokerExists,
    /// A payout batch takes 1 to `MAX_PAYOUT_BATCH` member records.
    BatchLimitOutOfRange,
    /// A payout batch starts at a member record that exists.
    PayoutStartOutOfRange,
    /// The runtime refused to swap the community's code.
    CodeUpgradeFailed,
    /// The storage is in a layout this build cannot read or migrate.
    UnknownLayout,
    /// The call into the stablecoin trapped, hit the broker's token call limits,
    /// reverted without a PSP22 answer, or reached no contract.
    TokenCallFailed,
    /// The stablecoin answered the transfer with a PSP22 error.
    TokenTransferRejected,
    /// The community's stablecoin balance did not move by the amount a transfer
    /// or a fee withdrawal from the broker reported.
    TokenBalanceMismatch,
    /// Neither this community nor its broker can be a member.
    ContractAsMember,
    /// No closed fee book has this id.
    UnknownBook,
    /// The members would weigh more than `MAX_TOTAL_WEIGHT` (2^32) together.
    WeightTooHigh,
}

impl From<TokenError> for CommunityError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::CallFailed => Self::TokenCallFailed,
            TokenError::Rejected => Self::TokenTransferRejected,
            TokenError::BalanceMismatch => Self::TokenBalanceMismatch,
        }
    }
}

impl core::fmt::Display for CommunityError {
    /// The refusal as a sentence, for people reading a client's output.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotMember => "only members may do this",
            Self::UnknownProposal => "there is no such proposal",
            Self::AlreadyVoted => "you voted on this proposal already",
            Self::VotingClosed => "the proposal's voting period is over",
            Self::VotingOpen => "the proposal is still open for votes",
            Self::NotPassed => "the proposal did not pass",
            Self::Expired => "the proposal's execution period is over",
            Self::AlreadyExecuted => "the proposal was executed already",
            Self::WeightChangedSinceProposal => {
                "your voting weight changed after the proposal was made"
            }
            Self::NoMembers => "a community needs at least one member",
            Self::TooManyMembers => "too many members for one instantiation",
            Self::ZeroWeight => "a member's weight must be above zero",
            Self::AlreadyMember => "the account is a member already",
            Self::UnknownMember => "the account is not a member",
            Self::LastMember => "the last member cannot be removed",
            Self::QuorumOutOfRange => "the quorum runs from 1 to 10 000 basis points",
            Self::ZeroVotingPeriod => "the voting period must be above zero",
            Self::VotingPeriodTooLong => "the voting period is at most 90 days",
            Self::ZeroExecutionPeriod => "the execution period must be above zero",
            Self::Superseded => "a newer proposal on the same subject was executed already",
            Self::DescriptionTooLong => "the description is longer than 512 bytes",
            Self::ReleaseFieldTooLong => "a release's name and version are at most 64 bytes",
            Self::ReleaseAlreadyApproved => "this release is approved already",
            Self::NothingToCollect => "no fees wait in the broker",
            Self::NothingToClaim => "your share is below one whole unit",
            Self::PageLimitOutOfRange => "a page holds 1 to 100 items",
            Self::UnknownCursor => "the cursor is past the last item",
            Self::Overflow => "the result would not fit its integer type",
            Self::Broker(error) => return write!(f, "the broker refused: {error}"),
            Self::BrokerCallFailed => "the call into the broker failed",
            Self::BrokerInstantiationFailed => "instantiating the broker failed",
            Self::NoBroker => "the broker is not created yet: call create_broker first",
            Self::BrokerExists => "the broker exists already",
            Self::BatchLimitOutOfRange => "a payout batch takes 1 to 16 members",
            Self::PayoutStartOutOfRange => "the payout batch starts past the last member",
            Self::CodeUpgradeFailed => "the code upgrade was refused",
            Self::UnknownLayout => "the storage is in a layout this build cannot read or migrate",
            Self::TokenCallFailed => "the stablecoin's call failed",
            Self::TokenTransferRejected => "the stablecoin refused the transfer",
            Self::TokenBalanceMismatch => "the stablecoin did not move the amount it reported, or the community holds tokens it has not shared yet (share_surplus shares them)",
            Self::ContractAsMember => "neither the community nor its broker can be a member",
            Self::UnknownBook => "no closed fee book has this id",
            Self::WeightTooHigh => "the members may weigh at most 2^32 together",
        })
    }
}
