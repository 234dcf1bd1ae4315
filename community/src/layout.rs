//! The storage layout's version. A build reads only its own layout;
//! `migrate_storage` brings an older one to it after an upgrade by vote.
use crate::{errors::CommunityError, types::Config};
use ink::storage::{
    traits::{ManualKey, StorageKey},
    Lazy,
};

/// The layout this build reads and writes.
pub const LAYOUT_VERSION: u16 = 1;

/// The config's storage key (the maps' keys are in `onchain.rs`).
pub const CONFIG_KEY: u32 = 0xC0_00_00_09;

/// The config, read only when a message needs it, so the contract's root
/// (the layout number) decodes in every layout.
pub type StoredConfig = Lazy<Config, ManualKey<CONFIG_KEY>>;

/// Rewrites the config stored in layout `from` into this build's layout.
pub fn migrate<K: StorageKey>(
    _config: &mut Lazy<Config, K>,
    _from: u16,
) -> Result<(), CommunityError> {
    // Layout 1 is the first: there is nothing older to migrate from, and a
    // newer layout cannot be read by this build.
    Err(CommunityError::UnknownLayout)
}
