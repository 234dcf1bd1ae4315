//! The community's hot/cold split (p2pcloud_common::split,
//! docs/CONTRACTS.md#the-split): the `hot` build is the community people
//! call, for proposals, votes and fees; its cold messages (the getters,
//! `create_broker`, `execute`) run in the `library` build.

pub use p2pcloud_common::{cold, hot};

p2pcloud_common::argument_types!(cold, skipped in "hot",
    AccountId = ink::primitives::AccountId;
    Hash = ink::primitives::Hash;
    Option<T> = core::option::Option<T>;
    ProposalId = crate::types::ProposalId;
    String = ink::prelude::string::String;
    u32 = core::primitive::u32;
);
p2pcloud_common::argument_types!(hot, skipped in "library",
    Action = crate::types::Action;
    bool = core::primitive::bool;
    ProposalId = crate::types::ProposalId;
    String = ink::prelude::string::String;
    u32 = core::primitive::u32;
);

#[cfg(feature = "hot")]
pub use self::hot_build::*;

#[cfg(feature = "hot")]
mod hot_build {
    use p2pcloud_common::split;

    /// The library's code hash, given to the build as 64 hex digits.
    pub const LIBRARY: [u8; 32] = split::code_hash_from_hex(env!(
        "P2PCLOUD_COMMUNITY_LIBRARY",
        "the hot community needs its library's code hash: scripts/build.sh builds the library first"
    ));

    /// Runs the message the caller sent in the library (`cold!`).
    pub fn run_in_library() -> ! {
        split::run_in_library(LIBRARY)
    }

    /// Creates the library's pin; traps if its code is not uploaded.
    pub fn pin_library() {
        split::pin_library::<crate::CommunityRef>(LIBRARY)
    }
}
