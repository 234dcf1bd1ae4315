use ink::primitives::AccountId;
pub use p2pcloud_common::{Balance, StopReason, Timestamp};

pub type OfferId = u64;
pub type BookingId = u64;

/// A week in seconds: how long a user's balance must be able to pay all their bookings.
pub const WEEK_SECONDS: u128 = 604_800;
/// Community fee in basis points when the broker is instantiated (5%).
pub const DEFAULT_FEE_BPS: u16 = 500;
/// The community fee can never exceed 25%.
pub const MAX_FEE_BPS: u16 = 2_500;
pub const BPS_DENOMINATOR: u128 = 10_000;
/// Longest miner URL stored, in bytes.
pub const MAX_URL_LEN: usize = 256;
/// Cap on a price per second and on the sum of a user's prices, so that
/// `total_pps * now` fits in a u128 for any time before the year 2500 (2^44 ms).
pub const MAX_PRICE_PER_SECOND: Balance = 1 << 84;
/// Milliseconds per second, the unit step of every settlement.
pub const MS_PER_SECOND: u64 = 1_000;

/// A miner's offer of identical machines of one VM type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Offer {
    pub miner: AccountId,
    pub vm_type_id: u32,
    /// Price of one machine per second; applies to bookings made from now on.
    pub price_per_second: Balance,
    pub machines: u32,
    /// Machines of this offer in active bookings.
    pub booked: u32,
    /// Hash of the VM spec document (for example an IPFS digest).
    pub specs: [u8; 32],
}

impl Offer {
    pub fn has_free_machine(&self) -> bool {
        self.booked < self.machines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum BookingStatus {
    Active,
    Ended { reason: StopReason, at: Timestamp },
}

/// One machine booked by a user. Price and fee are fixed when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Booking {
    pub offer_id: OfferId,
    pub user: AccountId,
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub fee_bps: u16,
    pub started_at: Timestamp,
    /// Paid up to here; moves forward only by whole seconds actually paid for.
    pub last_payment: Timestamp,
    pub status: BookingStatus,
}

/// An account's money inside the broker and the aggregate of its active bookings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Account {
    pub balance: Balance,
    /// Sum of `price_per_second` of the account's active bookings.
    pub total_pps: Balance,
    /// Sum of `price_per_second * last_payment` of those bookings, so what they
    /// owe right now is `(total_pps * now - pps_time) / 1000` in O(1).
    pub pps_time: u128,
}

/// The broker's settings and counters, kept in the contract's root cell.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Config {
    pub stablecoin: AccountId,
    pub community: AccountId,
    pub fee_bps: u16,
    pub next_offer_id: OfferId,
    pub next_booking_id: BookingId,
    /// Sum of all balances held for accounts: what the broker owes in tokens.
    pub total_deposits: Balance,
}

impl Config {
    pub fn new(stablecoin: AccountId, community: AccountId) -> Self {
        Self {
            stablecoin,
            community,
            fee_bps: DEFAULT_FEE_BPS,
            next_offer_id: 0,
            next_booking_id: 0,
            total_deposits: 0,
        }
    }
}
