//! The one error of every command: printed as the sentence people read,
//! after `p2pcloud: `, with exit code 1.
use p2pcloud_client::history::FilterError;
use p2pcloud_client::{
    chain::ChainError,
    domain::{account::AddressError, amount::AmountError, duration::DurationError},
    Error as ClientError,
};
use p2pcloud_indexer::{api::ApiError, store::StoreError};
use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// What was given cannot be used; the sentence says why and what to do.
    Refused(String),
    /// The chain, a contract or the token refused or failed.
    Client(ClientError),
    /// The event index failed.
    Store(StoreError),
    /// `what` did not happen, because of `why`.
    NotDone { what: String, why: Box<CliError> },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(why) => f.write_str(why),
            Self::Client(error) => error.fmt(f),
            Self::Store(error) => error.fmt(f),
            Self::NotDone { what, why } => write!(f, "{what}: {why}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<String> for CliError {
    fn from(why: String) -> Self {
        Self::Refused(why)
    }
}

impl From<&str> for CliError {
    fn from(why: &str) -> Self {
        Self::Refused(why.to_string())
    }
}

impl From<ClientError> for CliError {
    fn from(error: ClientError) -> Self {
        Self::Client(error)
    }
}

impl From<ChainError> for CliError {
    fn from(error: ChainError) -> Self {
        Self::Client(ClientError::Chain(error))
    }
}

impl From<FilterError> for CliError {
    fn from(error: FilterError) -> Self {
        Self::Client(ClientError::Filter(error))
    }
}

impl From<ApiError> for CliError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::Store(error) => Self::Store(error),
            other => Self::Refused(other.to_string()),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

/// Values read from text at run time (an amount needs the token's decimals).
macro_rules! refused_from {
    ($($error:ty),*) => {$(
        impl From<$error> for CliError {
            fn from(error: $error) -> Self {
                Self::Refused(error.to_string())
            }
        }
    )*};
}
refused_from!(AddressError, AmountError, DurationError);

/// Says what did not happen when a step fails: "offer 3 not updated: ...".
pub trait NotDone<T> {
    fn not_done(self, what: impl fmt::Display) -> Result<T, CliError>;
}

impl<T, E: Into<CliError>> NotDone<T> for Result<T, E> {
    fn not_done(self, what: impl fmt::Display) -> Result<T, CliError> {
        self.map_err(|why| CliError::NotDone {
            what: what.to_string(),
            why: Box::new(why.into()),
        })
    }
}
