//! What can go wrong talking to the contracts, each said as a sentence.
use crate::{chain::ChainError, history::FilterError};
use broker::BrokerError;
use community::CommunityError;
use psp22::PSP22Error;

#[derive(Debug, PartialEq, Eq)]
pub enum Error {
    /// The node, the connection or the runtime failed the call.
    Chain(ChainError),
    /// The broker refused the message; nothing changed.
    Broker(BrokerError),
    /// The community refused the message; nothing changed.
    Community(CommunityError),
    /// The stablecoin refused the call; nothing changed.
    Token(PSP22Error),
    /// A claim found less than a second accrued at the chain's latest block:
    /// it would pay nothing, so it is not submitted.
    NothingAccrued,
    /// A withdrawal of what is free found nothing free at the chain's latest
    /// block: it would send nothing, so it is not submitted.
    NothingFree,
    /// A query of events that cannot be answered (too many blocks to walk,
    /// a reason asked of payments).
    Filter(FilterError),
    /// The chain answered something the protocol never answers.
    Unexpected(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Chain(error) => error.fmt(f),
            Self::Broker(error) => write!(f, "the broker refused: {error}"),
            Self::Community(error) => write!(f, "the community refused: {error}"),
            Self::Token(error) => write!(f, "the stablecoin refused: {}", token_error(error)),
            Self::NothingAccrued => f.write_str(
                "nothing has accrued yet at the chain's latest block (a dev node makes \
                 blocks only for transactions)",
            ),
            Self::NothingFree => f.write_str(
                "nothing is free to withdraw: the balance is owed to miners or locked for a \
                 week of the bookings",
            ),
            Self::Filter(error) => error.fmt(f),
            Self::Unexpected(what) => write!(f, "unexpected answer: {what}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ChainError> for Error {
    fn from(error: ChainError) -> Self {
        Self::Chain(error)
    }
}

impl From<BrokerError> for Error {
    fn from(error: BrokerError) -> Self {
        Self::Broker(error)
    }
}

impl From<CommunityError> for Error {
    fn from(error: CommunityError) -> Self {
        Self::Community(error)
    }
}

impl From<PSP22Error> for Error {
    fn from(error: PSP22Error) -> Self {
        Self::Token(error)
    }
}

fn token_error(error: &PSP22Error) -> String {
    match error {
        PSP22Error::Custom(why) => why.clone(),
        PSP22Error::InsufficientBalance => "the balance is too low".into(),
        PSP22Error::InsufficientAllowance => "the allowance is too low".into(),
        PSP22Error::ZeroRecipientAddress => "the recipient is the zero address".into(),
        PSP22Error::ZeroSenderAddress => "the sender is the zero address".into(),
        PSP22Error::SafeTransferCheckFailed(why) => {
            format!("the safe transfer check failed: {why}")
        }
    }
}
