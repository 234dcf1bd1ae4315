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

p2pcloud_common::hot_build!("P2PCLOUD_COMMUNITY_LIBRARY", crate::CommunityRef);
