//! Where the broker's maps live on-chain. Every map has a fixed storage key, so
//! the layout is explicit and survives `set_code` upgrades; never reuse a key.
use crate::{
    data::BrokerMaps,
    lists::{Ends, Link, ListId},
    types::*,
};
use ink::{
    prelude::string::String,
    primitives::AccountId,
    storage::{traits::ManualKey, Mapping},
};

pub enum OnChain {}

impl BrokerMaps for OnChain {
    type Offers = Mapping<OfferId, Offer, ManualKey<0xB0_00_00_01>>;
    type Bookings = Mapping<BookingId, Booking, ManualKey<0xB0_00_00_02>>;
    type Accounts = Mapping<AccountId, Account, ManualKey<0xB0_00_00_03>>;
    type Links = Mapping<(ListId, u64), Link, ManualKey<0xB0_00_00_04>>;
    type Ends = Mapping<ListId, Ends, ManualKey<0xB0_00_00_05>>;
    type Urls = Mapping<AccountId, String, ManualKey<0xB0_00_00_06>>;
    type Holders = Mapping<u64, AccountId, ManualKey<0xB0_00_00_07>>;
    // 0xB0000008 is the config's key (layout.rs). The ended bookings' number
    // is the pinned library's too (layout.rs says why they never meet);
    // 0xB000000A holds the earlier pins.
    type Ended = Mapping<BookingId, EndedBooking, ManualKey<0xB0_00_00_09>>;
}
