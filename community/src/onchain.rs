//! Where the community's maps live on-chain, under fixed keys that survive
//! upgrades; never reuse a key.
use crate::{data::CommunityMaps, types::*};
use ink::{
    primitives::AccountId,
    storage::{traits::ManualKey, Mapping},
};

pub enum OnChain {}

impl CommunityMaps for OnChain {
    type Members = Mapping<AccountId, Member, ManualKey<0xC0_00_00_01>>;
    type Proposals = Mapping<ProposalId, Proposal, ManualKey<0xC0_00_00_02>>;
    type Votes = Mapping<(ProposalId, AccountId), bool, ManualKey<0xC0_00_00_03>>;
    type Releases = Mapping<ReleaseId, Release, ManualKey<0xC0_00_00_04>>;
    // 0xC0000005 held the index keyed by the names themselves, which could
    // pass the storage key limit; retired, never reuse it.
    type ReleaseIndex = Mapping<[u8; 32], ReleaseId, ManualKey<0xC0_00_00_06>>;
    type Decisions = Mapping<Subject, ProposalId, ManualKey<0xC0_00_00_07>>;
    type MemberIndex = Mapping<u32, AccountId, ManualKey<0xC0_00_00_08>>;
    // 0xC0000009 is the config's key (layout.rs).
    type MemberBooks = Mapping<AccountId, u32, ManualKey<0xC0_00_00_0A>>;
    type ClosedBooks = Mapping<u32, ClosedBook, ManualKey<CLOSED_BOOKS_KEY>>;
    type ClosedShares = Mapping<(u32, AccountId), u128, ManualKey<0xC0_00_00_0C>>;
    type Held = Mapping<AccountId, Balance, ManualKey<HELD_KEY>>;
}

/// The closed books' and held amounts' keys: layout 1's migration writes
/// their first entries.
pub const CLOSED_BOOKS_KEY: u32 = 0xC0_00_00_0B;
pub const HELD_KEY: u32 = 0xC0_00_00_0D;
// 0xC000000E is the pinned library's key, 0xC000000F the earlier pins'
// (layout.rs).
