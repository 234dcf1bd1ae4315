//! The storage layout's version. A build reads only its own layout;
//! `migrate_storage` brings an older one to it after an upgrade by vote.
use crate::{
    errors::CommunityError,
    onchain::{CLOSED_BOOKS_KEY, HELD_KEY},
    types::{
        Balance, BrokerLink, ClosedBook, Config, FeeBook, ProposalId, ReleaseId, VotingRules,
        Weight,
    },
};
use ink::{
    primitives::AccountId,
    storage::{
        traits::{ManualKey, StorageKey},
        Lazy, Mapping,
    },
};
use p2pcloud_common::TokenCallLimits;

/// The layout this build reads and writes. Layout 2 keeps fees in books,
/// one token each, and knows the community's own address.
pub const LAYOUT_VERSION: u16 = 2;

/// The config's storage key (the maps' keys are in `onchain.rs`).
pub const CONFIG_KEY: u32 = 0xC0_00_00_09;

/// The config, read only when a message needs it, so the contract's root
/// (the layout number) decodes in every layout.
pub type StoredConfig = Lazy<Config, ManualKey<CONFIG_KEY>>;

/// The key of the code hash of the library the community pinned last
/// (src/split.rs); empty before the first pin, whatever the layout.
pub const PINNED_LIBRARY_KEY: u32 = 0xC0_00_00_0E;

/// The library the community pinned last, read only by `migrate_storage`.
pub type PinnedLibrary = Lazy<ink::primitives::Hash, ManualKey<PINNED_LIBRARY_KEY>>;

/// The key of the libraries the community pinned before the last one
/// (`p2pcloud_common::split::pin_once`).
pub const EARLIER_PINS_KEY: u32 = 0xC0_00_00_0F;

/// The libraries pinned before the last one: a swap back to their code must
/// not pin them again.
pub type EarlierPins = Mapping<ink::primitives::Hash, bool, ManualKey<EARLIER_PINS_KEY>>;

/// What layout 1 scaled shares by.
pub const LAYOUT_1_SHARE_PRECISION: u128 = 1_000_000_000_000;

/// Layout 1's config: one running share account in the broker's token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode)]
pub struct ConfigV1 {
    pub broker: BrokerLink,
    pub rules: VotingRules,
    pub member_count: u32,
    pub total_weight: Weight,
    pub next_proposal_id: ProposalId,
    pub next_release_id: ReleaseId,
    pub fees_per_weight: u128,
    pub undistributed_scaled: u128,
    pub total_collected: Balance,
    pub total_claimed: Balance,
    pub member_records: u32,
}

/// Layout 2's state made of layout 1's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub config: Config,
    /// Layout 1's share account, closed as book 0 in its own precision.
    pub book_0: ClosedBook,
    /// What the members are owed in the broker's token.
    pub held: Balance,
}

impl ConfigV1 {
    /// Layout 2's state: the running account closes as book 0 in `token`
    /// (the broker's stablecoin), with its precision, so members' records
    /// settle in it unchanged; book 1 opens in the same token. Its rounding
    /// rest, under `total_weight / 10^12` units, stays unshared.
    pub fn migrated(self, this: AccountId, token: AccountId) -> Migrated {
        let book_0 = ClosedBook {
            token,
            fees_per_weight: self.fees_per_weight,
            precision: LAYOUT_1_SHARE_PRECISION,
        };
        // Claims never exceed collections.
        let held = self.total_collected.saturating_sub(self.total_claimed);
        let config = Config {
            broker: self.broker,
            rules: self.rules,
            member_count: self.member_count,
            total_weight: self.total_weight,
            next_proposal_id: self.next_proposal_id,
            next_release_id: self.next_release_id,
            book: FeeBook::open(1, token),
            member_records: self.member_records,
            this,
            token_call_limits: TokenCallLimits::default(),
        };
        Migrated {
            config,
            book_0,
            held,
        }
    }
}

/// Rewrites the config stored in layout `from` into this build's layout;
/// `stablecoin_of` asks a running broker for its stablecoin, `holds` what
/// this contract holds of a token. Members stay as they are: those without a
/// book recorded are in book 0. Refused (`UnknownLayout`) when the community
/// holds less of the broker's stablecoin than layout 1 says it owes: its
/// shares were collected in another token (a stablecoin change since its
/// last collection), which layout 1 did not record.
pub fn migrate<K: StorageKey>(
    config: &mut Lazy<Config, K>,
    from: u16,
    this: AccountId,
    stablecoin_of: impl FnOnce(AccountId) -> Result<AccountId, CommunityError>,
    holds: impl FnOnce(AccountId) -> Result<Balance, CommunityError>,
) -> Result<(), CommunityError> {
    if from != 1 {
        return Err(CommunityError::UnknownLayout);
    }
    let old = ink::env::get_contract_storage::<u32, ConfigV1>(&CONFIG_KEY)
        .ok()
        .flatten()
        .ok_or(CommunityError::UnknownLayout)?;
    let token = match old.broker {
        BrokerLink::Planned { stablecoin, .. } => stablecoin,
        BrokerLink::At(broker) => stablecoin_of(broker)?,
    };
    let migrated = old.migrated(this, token);
    if holds(token)? < migrated.held {
        return Err(CommunityError::UnknownLayout);
    }
    Mapping::<AccountId, Balance, ManualKey<HELD_KEY>>::new().insert(token, &migrated.held);
    Mapping::<u32, ClosedBook, ManualKey<CLOSED_BOOKS_KEY>>::new().insert(0, &migrated.book_0);
    config.set(&migrated.config);
    Ok(())
}
