use ink::primitives::AccountId;
use p2pcloud_common::BrokerError;
pub use p2pcloud_common::{Balance, StopReason, Timestamp, TokenCallLimits, BPS_DENOMINATOR};

pub type OfferId = u64;
pub type BookingId = u64;

/// A week in seconds: how long a user's balance must be able to pay all their bookings.
pub const WEEK_SECONDS: u128 = 604_800;
/// Community fee in basis points when the broker is instantiated (5%).
pub const DEFAULT_FEE_BPS: u16 = 500;
/// The community fee can never exceed 25%.
pub const MAX_FEE_BPS: u16 = 2_500;
/// Longest miner URL stored, in bytes.
pub const MAX_URL_LEN: usize = 256;
/// Milliseconds per second, the unit step of every settlement.
pub const MS_PER_SECOND: u64 = 1_000;
/// How long after a booking ended its user may still report it, in
/// milliseconds (7 days): long enough for a user who checks weekly.
pub const REPORT_WINDOW: Timestamp = 7 * 24 * 60 * 60 * 1_000;

// The bounds below keep every product and sum inside a u128 for any block
// time below 2^44 ms (the year 2527), so no settlement can overflow and a
// booking can always end:
// - a user's `total_pps` <= 2^80, so `total_pps * now` < 2^124 and their
//   `pps_time` (a sum of `price * last_payment`) < 2^124;
// - every balance <= the broker's total <= 2^110, so `balance * 1000` < 2^120
//   and `balance * 1000 + pps_time` < 2^125;
// - a booking pays at most `price * seconds` < 2^80 * 2^34 = 2^114.

/// Cap on a price per second and on the sum of a user's prices.
pub const MAX_PRICE_PER_SECOND: Balance = 1 << 80;
/// Cap on all the broker holds, which bounds every account's balance.
pub const MAX_TOTAL_DEPOSITS: Balance = 1 << 110;
/// Most bookings ended, or accounts paid out, by one migration step: each
/// account paid out is three token calls.
pub const MAX_MIGRATION_BATCH: u32 = 16;

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
    /// Closed by its miner while booked: takes no new bookings and is deleted
    /// when its last booking ends.
    pub closed: bool,
}

impl Offer {
    /// Open and with a free machine.
    pub fn is_available(&self) -> bool {
        !self.closed && self.booked < self.machines
    }
}

/// One machine booked by a user, while it runs: a booking is deleted from
/// storage when it ends (its events say how). Price and fee are fixed when it
/// starts.
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
}

impl Booking {
    /// Whole seconds paid for so far.
    pub fn seconds_paid(&self) -> u64 {
        seconds_between(self.started_at, self.last_payment)
    }

    /// What the user paid for it so far: every second is paid at its price.
    pub fn amount_paid(&self) -> Result<Balance, BrokerError> {
        self.price_per_second
            .checked_mul(u128::from(self.seconds_paid()))
            .ok_or(BrokerError::Overflow)
    }
}

/// What is kept of a booking that ended without a report, for
/// `REPORT_WINDOW`: its user can still report it, whoever ended it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EndedBooking {
    pub user: AccountId,
    pub miner: AccountId,
    pub vm_type_id: u32,
    pub price_per_second: Balance,
    pub seconds_used: u64,
    pub amount_paid: Balance,
    pub ended_at: Timestamp,
}

/// An account's money inside the broker and the aggregate of its active
/// bookings. Stored only while it holds money or bookings.
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
    /// Set once the balance is seen to have run out: the moment it did. Every
    /// active booking of the account is paid up to here and no further.
    pub ran_out_at: Option<Timestamp>,
    /// Where the account stands in the list of holders (for migrations).
    pub holder_slot: Option<u64>,
}

impl Account {
    pub fn is_empty(&self) -> bool {
        self.balance == 0 && self.total_pps == 0
    }
}

/// What `check_balance` answers about an account right now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct BalanceReport {
    /// All the account holds in the broker: deposits and earnings, less
    /// withdrawals and payments.
    pub deposited: Balance,
    /// What its active bookings accrued and miners have not claimed yet.
    pub owed: Balance,
    /// A week of its active bookings (zero once the balance ran out).
    pub locked: Balance,
    /// What it can withdraw: `deposited - owed - locked`, floored at zero.
    pub free: Balance,
    /// When the balance stops covering the bookings at their current prices
    /// (in the past once it ran out); `None` without bookings.
    pub runs_out_at: Option<Timestamp>,
}

/// What `withdraw_up_to` took from the balance, and in which token (the
/// stablecoin of now). A withdrawal of nothing answers 0 and calls no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Withdrawal {
    pub token: AccountId,
    pub amount: Balance,
}

/// The broker's settings and counters, kept under their own key (the root
/// holds only the layout version).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Config {
    pub stablecoin: AccountId,
    pub community: AccountId,
    /// The successor the community offered its role to, until it accepts.
    pub proposed_community: Option<AccountId>,
    pub fee_bps: u16,
    pub next_offer_id: OfferId,
    pub next_booking_id: BookingId,
    /// Sum of all balances held for accounts: what the broker owes in tokens.
    pub total_deposits: Balance,
    /// Accounts in storage, which the holders list numbers 0..holders.
    pub holders: u64,
    /// The stablecoin being migrated to, while a migration runs.
    pub migrating_to: Option<AccountId>,
    pub token_call_limits: TokenCallLimits,
    /// When layout 2 was migrated to: the upgrade test's layout change.
    #[cfg(feature = "next-layout")]
    pub upgraded_at: Timestamp,
}

impl Config {
    pub fn new(stablecoin: AccountId, community: AccountId) -> Self {
        Self {
            stablecoin,
            community,
            proposed_community: None,
            fee_bps: DEFAULT_FEE_BPS,
            next_offer_id: 0,
            next_booking_id: 0,
            total_deposits: 0,
            holders: 0,
            migrating_to: None,
            token_call_limits: TokenCallLimits::default(),
            #[cfg(feature = "next-layout")]
            upgraded_at: 0,
        }
    }
}

/// Whole seconds from `from` to `to`; zero if `to` is earlier.
pub fn seconds_between(from: Timestamp, to: Timestamp) -> u64 {
    to.saturating_sub(from)
        .checked_div(MS_PER_SECOND)
        .unwrap_or_default()
}
