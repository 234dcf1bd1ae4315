//! The broker's events. Accounts are topics so indexers can filter by them;
//! ids are not, because each topic costs every message that emits it about
//! 2.5 KB of proof size (pallet-contracts' `deposit_event_per_topic`), and an
//! id is in the event's data. For the same reason a booking's events have the
//! miner as a topic and not the user: the miner is who must act on them
//! (start a VM, stop it, answer a report), while the user made the booking
//! and holds its id; the user is in the data, as every field is. And a
//! settlement that ends a booking is told inside its `BookingStopped`, not by
//! a `MinerPayout` of its own (three topics fewer per stop). The payouts (`MinerPayout` and
//! the stops' settlements) and `BookingReported` are the inputs of miner
//! reputation.
use crate::types::{Balance, BookingId, OfferId, StopReason, TokenCallLimits};
use ink::primitives::{AccountId, Hash};

/// A miner offered `machines` machines of VM type `vm_type_id` at
/// `price_per_second` each; `specs` is the hash of their spec document.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferAdded {
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub machines: u32,
    pub specs: [u8; 32],
}

/// The offer's miner set its price and machine count; running bookings keep
/// the price they started at.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferUpdated {
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
    pub price_per_second: Balance,
    pub machines: u32,
}

/// The offer is gone: its miner removed it, or the last booking of a closed
/// offer ended.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRemoved {
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
}

/// The miner closed an offer that still has bookings: it takes no new ones
/// and is removed (`OfferRemoved`) when its last booking ends.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferClosed {
    pub offer_id: OfferId,
    #[ink(topic)]
    pub miner: AccountId,
}

/// `amount` of the stablecoin moved from `account` into its broker balance.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposited {
    #[ink(topic)]
    pub account: AccountId,
    pub amount: Balance,
}

/// `payer` paid `amount` of the stablecoin into `account`'s broker balance,
/// which is `account`'s alone to book with or withdraw.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositedFor {
    #[ink(topic)]
    pub payer: AccountId,
    #[ink(topic)]
    pub account: AccountId,
    pub amount: Balance,
}

/// `amount` went from `account`'s broker balance back to it in the stablecoin;
/// a migration pays every balance back this way. A withdrawal takes from the
/// balance what left the broker, less what the broker held beyond its debts:
/// what the token did not move stays in the balance.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    #[ink(topic)]
    pub account: AccountId,
    pub amount: Balance,
}

/// A user booked one machine of `offer_id`; `price_per_second` and the
/// community fee are fixed for the whole booking.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingStarted {
    pub booking_id: BookingId,
    pub offer_id: OfferId,
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub price_per_second: Balance,
}

/// A settlement that paid anything and left the booking running: `amount`
/// went to the miner, `fee` to the community; the user was charged
/// `amount + fee` for `seconds` of use. (A settlement that ends the booking is
/// in its `BookingStopped`.)
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinerPayout {
    pub booking_id: BookingId,
    #[ink(topic)]
    pub miner: AccountId,
    pub user: AccountId,
    pub amount: Balance,
    pub fee: Balance,
    pub seconds: u64,
}

/// A booking ended. `seconds_used` are the whole seconds it was paid for and
/// `amount_paid` what its user paid for it in all (`price * seconds_used`).
/// The settlement that ended it paid `settled_amount` to the miner and
/// `settled_fee` to the community for `settled_seconds` (all zero when
/// nothing was left to pay), as a `MinerPayout` tells any other.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingStopped {
    pub booking_id: BookingId,
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub reason: StopReason,
    pub seconds_used: u64,
    pub amount_paid: Balance,
    pub settled_amount: Balance,
    pub settled_fee: Balance,
    pub settled_seconds: u64,
}

impl BookingStopped {
    /// The settlement that ended the booking, as the `MinerPayout` it would
    /// be had the booking gone on; `None` when it paid nothing.
    pub fn settlement(&self) -> Option<MinerPayout> {
        (self.settled_seconds > 0).then_some(MinerPayout {
            booking_id: self.booking_id,
            miner: self.miner,
            user: self.user,
            amount: self.settled_amount,
            fee: self.settled_fee,
            seconds: self.settled_seconds,
        })
    }
}

/// A user stopped a booking reporting the miner's misbehaviour. What the
/// booking cost them (`seconds_used`, `amount_paid`, both zero for a report in
/// the block it started) lets a reputation weigh the report.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingReported {
    pub booking_id: BookingId,
    pub user: AccountId,
    #[ink(topic)]
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub seconds_used: u64,
    pub amount_paid: Balance,
}

/// The community started moving the broker to another stablecoin: deposits
/// and bookings stop, `migrate` ends the bookings and pays every balance back,
/// then `StablecoinChanged` follows.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStarted {
    pub from: AccountId,
    pub to: AccountId,
}

/// The migration ended: balances are now held in `new` instead of `old`
/// (at once if the broker held nothing).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StablecoinChanged {
    pub old: AccountId,
    pub new: AccountId,
}

/// The community offered its role to `proposed` (`None`: offer withdrawn).
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityProposed {
    #[ink(topic)]
    pub current: AccountId,
    #[ink(topic)]
    pub proposed: Option<AccountId>,
}

/// The proposed community accepted: it now holds every right.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityChanged {
    #[ink(topic)]
    pub old: AccountId,
    #[ink(topic)]
    pub new: AccountId,
}

/// The community fee went from `old_bps` to `new_bps` basis points; it
/// applies to bookings made from now on.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityFeeChanged {
    pub old_bps: u16,
    pub new_bps: u16,
}

/// The community replaced the broker's code with `code_hash`; storage is kept.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeUpgraded {
    pub code_hash: Hash,
}

/// The community set what each call into the stablecoin may spend at most.
#[ink::event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCallLimitsChanged {
    pub limits: TokenCallLimits,
}

/// What a core operation returns for the contract to emit, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerEvent {
    OfferAdded(OfferAdded),
    OfferUpdated(OfferUpdated),
    OfferRemoved(OfferRemoved),
    OfferClosed(OfferClosed),
    Deposited(Deposited),
    DepositedFor(DepositedFor),
    Withdrawn(Withdrawn),
    BookingStarted(BookingStarted),
    MinerPayout(MinerPayout),
    BookingStopped(BookingStopped),
    BookingReported(BookingReported),
    MigrationStarted(MigrationStarted),
    StablecoinChanged(StablecoinChanged),
    CommunityProposed(CommunityProposed),
    CommunityChanged(CommunityChanged),
    CommunityFeeChanged(CommunityFeeChanged),
    CodeUpgraded(CodeUpgraded),
    TokenCallLimitsChanged(TokenCallLimitsChanged),
}
