//! What can go wrong talking to the contracts, each said as a sentence.
use crate::chain::ChainError;
use broker::BrokerError;
use community::CommunityError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The node, the connection or the runtime failed the call.
    Chain(ChainError),
    /// The broker refused the message; nothing changed.
    Broker(BrokerError),
    /// The community refused the message; nothing changed.
    Community(CommunityError),
    /// The chain answered something the protocol never answers.
    Unexpected(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Chain(error) => error.fmt(f),
            Self::Broker(error) => write!(f, "the broker refused: {error}"),
            Self::Community(error) => write!(f, "the community refused: {error}"),
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
