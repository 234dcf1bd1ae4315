//! The storage layout's version and the migrations between versions. A build
//! reads only its own layout; `migrate_storage` brings an older one to it.
//!
//! The `next-layout` feature builds the upgrade test's second broker
//! (`e2e-tests/broker-next`): its `Config` gains `upgraded_at`, so layout 1's
//! config must be rewritten once.
use crate::types::{Config, Timestamp};
use ink::storage::{
    traits::{ManualKey, StorageKey},
    Lazy, Mapping,
};
use p2pcloud_common::BrokerError;

/// The layout this build reads and writes.
#[cfg(not(feature = "next-layout"))]
pub const LAYOUT_VERSION: u16 = 1;
#[cfg(feature = "next-layout")]
pub const LAYOUT_VERSION: u16 = 2;

/// The config's storage key (the maps' keys are in `onchain.rs`).
pub const CONFIG_KEY: u32 = 0xB0_00_00_08;

/// The config, read only when a message needs it, so the contract's root
/// (the layout number) decodes in every layout.
pub type StoredConfig = Lazy<Config, ManualKey<CONFIG_KEY>>;

/// The key of the code hash of the library the broker pinned last
/// (src/split.rs); empty before the first pin, whatever the layout. Its
/// number is also the ended bookings' map's (onchain.rs): a value's cell
/// key is these 4 bytes and every map entry's longer, so they never meet,
/// and deployed brokers keep their pin record here.
pub const PINNED_LIBRARY_KEY: u32 = 0xB0_00_00_09;

/// The library the broker pinned last, read only by `migrate_storage`.
pub type PinnedLibrary = Lazy<ink::primitives::Hash, ManualKey<PINNED_LIBRARY_KEY>>;

/// The key of the libraries the broker pinned before the last one
/// (`p2pcloud_common::split::pin_once`).
pub const EARLIER_PINS_KEY: u32 = 0xB0_00_00_0A;

/// The libraries pinned before the last one: a swap back to their code must
/// not pin them again.
pub type EarlierPins = Mapping<ink::primitives::Hash, bool, ManualKey<EARLIER_PINS_KEY>>;

/// Rewrites the config stored in layout `from` into this build's layout.
#[cfg(not(feature = "next-layout"))]
pub fn migrate<K: StorageKey>(
    _config: &mut Lazy<Config, K>,
    _from: u16,
    _now: Timestamp,
) -> Result<(), BrokerError> {
    // Layout 1 is the first: there is nothing older to migrate from, and a
    // newer layout cannot be read by this build.
    Err(BrokerError::UnknownLayout)
}

/// Layout 1 stored `Config` without `upgraded_at`, its last field: layout 1's
/// bytes are layout 2's without the last eight, so they are completed.
#[cfg(feature = "next-layout")]
pub fn migrate<K: StorageKey>(
    config: &mut Lazy<Config, K>,
    from: u16,
    now: Timestamp,
) -> Result<(), BrokerError> {
    use ink::scale::{Decode, Encode};
    if from != 1 {
        return Err(BrokerError::UnknownLayout);
    }
    let stored = ink::env::get_contract_storage::<u32, RawBytes>(&CONFIG_KEY)
        .ok()
        .flatten()
        .ok_or(BrokerError::UnknownLayout)?;
    let mut bytes = stored.0;
    bytes.extend(now.encode());
    let migrated = Config::decode(&mut &bytes[..]).map_err(|_| BrokerError::UnknownLayout)?;
    config.set(&migrated);
    Ok(())
}

/// A stored value's bytes as they are.
#[cfg(feature = "next-layout")]
struct RawBytes(ink::prelude::vec::Vec<u8>);

#[cfg(feature = "next-layout")]
impl ink::scale::Decode for RawBytes {
    fn decode<I: ink::scale::Input>(input: &mut I) -> Result<Self, ink::scale::Error> {
        let length = input.remaining_len()?.unwrap_or_default();
        let mut bytes = ink::prelude::vec![0; length];
        input.read(&mut bytes)?;
        Ok(Self(bytes))
    }
}

#[cfg(feature = "next-layout")]
impl ink::scale::Encode for RawBytes {
    fn encode_to<T: ink::scale::Output + ?Sized>(&self, dest: &mut T) {
        dest.write(&self.0);
    }
}
