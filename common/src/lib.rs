//! What several p2pcloud contracts share: the key-value store abstraction their
//! env-free cores run on, the checked PSP22 adapter, the broker's error and stop
//! reasons (the community decodes them), and pagination bounds.
#![cfg_attr(not(feature = "std"), no_std)]

mod broker_api;
mod layout;
mod page;
pub mod split;
#[cfg(feature = "std")]
mod stop_reason_text;
mod store;
mod token;

pub use broker_api::{BrokerError, StopReason};
pub use layout::{migrate_layout, StorageMigrated};
pub use page::{page_limit_in_range, Page, MAX_PAGE_LIMIT};
#[cfg(feature = "std")]
pub use stop_reason_text::StopReasonError;
pub use store::Store;
#[cfg(feature = "std")]
pub mod testing;

pub use token::{
    ensure_change, CheckedToken, Psp22Api, Psp22Contract, Token, TokenCallLimits, TokenError,
};

/// Basis points in a whole: fees and quorums are stated in basis points.
pub const BPS_DENOMINATOR: u128 = 10_000;

/// Token amounts, in the stablecoin's smallest unit.
pub type Balance = u128;
/// Block time in milliseconds.
pub type Timestamp = u64;

/// `Ok(())` if `condition` holds, else `Err(error)`: the guard every core rule starts with.
pub fn ensure<E>(condition: bool, error: E) -> Result<(), E> {
    if condition {
        Ok(())
    } else {
        Err(error)
    }
}
