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
    String = ink::prelude::string::String;
    u32 = core::primitive::u32;
);

p2pcloud_common::hot_build!("P2PCLOUD_BROKER_LIBRARY", crate::BrokerRef);
