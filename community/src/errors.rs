use p2pcloud_common::{BrokerError, TokenError};

/// Every way a community message can fail. A failed message changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum CommunityError {
    /// Only members may propose, vote and claim.
    NotMember,
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
    AlreadyExecuted,
    /// The member's weight changed after the proposal was made.
    WeightChangedSinceProposal,
    /// The instantiation named no member.
    NoMembers,
    /// The instantiation named more members than it takes.
    TooManyMembers,
    ZeroWeight,
    AlreadyMember,
    /// The account is not a member.
    UnknownMember,
    /// The last member cannot be removed.
    LastMember,
    /// The quorum runs from 1 to 10 000 basis points.
    QuorumOutOfRange,
    ZeroVotingPeriod,
    /// Voting periods are at most `MAX_VOTING_PERIOD` (90 days).
    VotingPeriodTooLong,
    /// A passed proposal needs time to be executed.
    ZeroExecutionPeriod,
    /// A newer proposal on the same subject was executed already.
    Superseded,
    DescriptionTooLong,
    ReleaseFieldTooLong,
    ReleaseAlreadyApproved,
    NothingToCollect,
    NothingToClaim,
    /// The payout token cannot change while members have fees to claim.
    UnclaimedFees,
    PageLimitOutOfRange,
    UnknownCursor,
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
    TokenCallFailed,
    TokenTransferRejected,
    TokenBalanceMismatch,
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
