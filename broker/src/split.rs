//! The broker's hot/cold split (p2pcloud_common::split,
//! docs/CONTRACTS.md#the-split): the `hot` build is the broker people call,
//! its cold messages run in the `library` build.

pub use p2pcloud_common::{cold, hot};

p2pcloud_common::argument_types!(cold, skipped in "hot",
    AccountId = ink::primitives::AccountId;
    Balance = crate::types::Balance;
    BookingId = crate::types::BookingId;
    Hash = ink::primitives::Hash;
    OfferId = crate::types::OfferId;
    Option<T> = core::option::Option<T>;
    String = ink::prelude::string::String;
    TokenCallLimits = crate::types::TokenCallLimits;
    u16 = core::primitive::u16;
    u32 = core::primitive::u32;
);
p2pcloud_common::argument_types!(hot, skipped in "library",
    AccountId = ink::primitives::AccountId;
    Balance = crate::types::Balance;
    BookingId = crate::types::BookingId;
    OfferId = crate::types::OfferId;
    StopReason = crate::types::StopReason;
    u32 = core::primitive::u32;
);

#[cfg(feature = "hot")]
pub use self::hot_build::*;

#[cfg(feature = "hot")]
mod hot_build {
    use p2pcloud_common::split;

    /// The library's code hash, given to the build as 64 hex digits.
    pub const LIBRARY: [u8; 32] = split::code_hash_from_hex(env!(
        "P2PCLOUD_BROKER_LIBRARY",
        "the hot broker needs its library's code hash: scripts/build.sh builds the library first"
    ));

    /// Runs the message the caller sent in the library (`cold!`).
    pub fn run_in_library() -> ! {
        split::run_in_library(LIBRARY)
    }

    /// Creates the library's pin; traps if its code is not uploaded.
    pub fn pin_library() {
        split::pin_library::<crate::BrokerRef>(LIBRARY)
    }
}
