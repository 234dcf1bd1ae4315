//! The broker's events. Accounts are topics so indexers can filter by miner or
//! user; `MinerPayout` and `BookingReported` are the inputs of miner reputation.
use crate::types::{Balance, BookingId, OfferId, StopReason};
use ink::primitives::{AccountId, Hash};

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferAdded {
    #[ink(topic)]
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub machines: u32,
    pub specs: [u8; 32],
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferUpdated {
    #[ink(topic)]
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
    pub price_per_second: Balance,
    pub machines: u32,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRemoved {
    #[ink(topic)]
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposited {
    #[ink(topic)]
    pub account: AccountId,
    pub amount: Balance,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    #[ink(topic)]
    pub account: AccountId,
    pub amount: Balance,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingStarted {
    #[ink(topic)]
    pub booking_id: BookingId,
    pub offer_id: OfferId,
    #[ink(topic)]
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub price_per_second: Balance,
}

/// A settlement that paid anything: `amount` went to the miner, `fee` to the
/// community; the user was charged `amount + fee` for `seconds` of use.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinerPayout {
    #[ink(topic)]
    pub booking_id: BookingId,
    #[ink(topic)]
    pub miner: AccountId,
    #[ink(topic)]
    pub user: AccountId,
    pub amount: Balance,
    pub fee: Balance,
    pub seconds: u64,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingStopped {
    #[ink(topic)]
    pub booking_id: BookingId,
    #[ink(topic)]
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub reason: StopReason,
    pub seconds_used: u64,
}

/// A user stopped a booking reporting the miner's misbehaviour.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingReported {
    #[ink(topic)]
    pub booking_id: BookingId,
    #[ink(topic)]
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub seconds_used: u64,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StablecoinChanged {
    pub old: AccountId,
    pub new: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityChanged {
    #[ink(topic)]
    pub old: AccountId,
    #[ink(topic)]
    pub new: AccountId,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityFeeChanged {
    pub old_bps: u16,
    pub new_bps: u16,
}

#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeUpgraded {
    pub code_hash: Hash,
}

/// What a core operation returns for the contract to emit, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerEvent {
    OfferAdded(OfferAdded),
    OfferUpdated(OfferUpdated),
    OfferRemoved(OfferRemoved),
    Deposited(Deposited),
    Withdrawn(Withdrawn),
    BookingStarted(BookingStarted),
    MinerPayout(MinerPayout),
    BookingStopped(BookingStopped),
    BookingReported(BookingReported),
    StablecoinChanged(StablecoinChanged),
    CommunityChanged(CommunityChanged),
    CommunityFeeChanged(CommunityFeeChanged),
    CodeUpgraded(CodeUpgraded),
}
