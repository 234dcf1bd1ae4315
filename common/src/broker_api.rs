/// Why a booking ended. Encoded as one byte: 0 `Ok`, 1 `MinerMisbehaviour`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum StopReason {
    /// The user is done with the VM (user only).
    Ok = 0,
    /// The user reports the miner; emits `BookingReported` (user only).
    MinerMisbehaviour = 1,
    /// The miner ends the booking (miner only).
    MinerTerminated = 2,
    /// The user could not pay what accrued (set by the broker itself only).
    NonPayment = 3,
    /// The community ends the booking by a passed proposal (community only); a
    /// stablecoin migration ends every booking with this reason too.
    CommunityTerminated = 4,
}

/// Every way a broker message can fail. A failed message changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum BrokerError {
    /// Only the community contract may call this.
    NotCommunity,
    /// Only the contract the community proposed as its successor may accept.
    NotProposedCommunity,
    /// Only the miner who owns the offer may change it.
    NotOfferOwner,
    /// Only the booking's user may stop it with this reason.
    NotBookingUser,
    /// Only the booking's miner may do this.
    NotBookingMiner,
    /// `NonPayment` is set by the broker itself, never passed in.
    ReasonReserved,
    /// No offer has this id (it never existed or it was removed).
    UnknownOffer,
    /// No active booking has this id (it never existed or it ended).
    UnknownBooking,
    /// Page limits run from 1 to `MAX_PAGE_LIMIT`.
    PageLimitOutOfRange,
    /// A migration batch takes 1 to `MAX_MIGRATION_BATCH` items.
    BatchLimitOutOfRange,
    /// An offer's price per second must be above zero.
    ZeroPrice,
    /// A price, or the sum of a user's booked prices, over `2^80` per second
    /// (the cap that keeps every time product inside a u128).
    PriceTooHigh,
    /// The offer's price per second is above the most the user accepts.
    PriceAboveLimit,
    /// An offer needs at least one machine.
    ZeroMachines,
    /// A deposit or withdrawal amount must be above zero.
    ZeroAmount,
    /// An offer's machines may not drop below the number currently booked.
    MachinesBelowBooked,
    /// The offer is closed: it takes no bookings and no changes.
    OfferClosed,
    /// A miner cannot book their own offer.
    OwnOffer,
    /// Every machine of the offer is booked.
    NoFreeMachine,
    /// The balance cannot pay what the user owes plus 7 days of all their
    /// bookings, this one included.
    InsufficientBalance,
    /// The user's balance ran out: their bookings must end (claim or stop)
    /// before they book again.
    BalanceRanOut,
    /// The amount exceeds the free (unlocked, unowed) balance.
    InsufficientFreeBalance,
    /// The broker holds at most `2^110` units in all (the bound that keeps
    /// every balance product inside a u128).
    DepositCapReached,
    /// A stablecoin migration is under way: no deposits, bookings or new migration.
    MigrationInProgress,
    /// No stablecoin migration is under way.
    NoMigration,
    /// The community fee is capped at 2500 basis points (25%).
    FeeTooHigh,
    /// The miner URL is longer than the broker stores.
    UrlTooLong,
    /// The result would not fit its integer type.
    Overflow,
    /// The token call trapped, ran out of its gas or deposit limit, reverted
    /// without a PSP22 answer, or reached no contract.
    TokenCallFailed,
    /// The token answered the transfer with a PSP22 error.
    TokenTransferRejected,
    /// The token reported success but balances did not move by the amount.
    TokenBalanceMismatch,
    /// A token call limit of zero would lift the limit altogether.
    ZeroTokenCallLimit,
    /// `set_code_hash` refused the code hash.
    CodeUpgradeFailed,
    /// The storage is in a layout this build cannot read or migrate.
    UnknownLayout,
    /// No ended booking with this id waits for a report: it never ended,
    /// was reported already, or its record was deleted after its window.
    NoReportableBooking,
    /// The booking ended more than `REPORT_WINDOW` ago: too late to report it.
    ReportWindowClosed,
    /// The booking's report window is still open: only its user's report
    /// deletes the record before it closes.
    ReportWindowOpen,
    /// The account's balance ran out: its bookings accrue no further, and
    /// money paid in for it would not revive them.
    BeneficiaryRanOut,
    /// The broker holds no balance of its own: a payment to itself would
    /// move nothing, and a migration could never pay it out.
    BrokerAsBeneficiary,
}

impl core::fmt::Display for BrokerError {
    /// The refusal as a sentence, for people reading a client's output.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::NotCommunity => "only the community contract may do this",
            Self::NotProposedCommunity => {
                "only the contract the community proposed as its successor may accept"
            }
            Self::NotOfferOwner => "only the miner who made the offer may change it",
            Self::NotBookingUser => "only the booking's user may stop it with this reason",
            Self::NotBookingMiner => "only the booking's miner may do this",
            Self::ReasonReserved => "the broker alone ends bookings for non-payment",
            Self::UnknownOffer => "there is no such offer",
            Self::UnknownBooking => "there is no such active booking",
            Self::PageLimitOutOfRange => "a page holds 1 to 100 items",
            Self::BatchLimitOutOfRange => "a migration step takes 1 to 16 items",
            Self::ZeroPrice => "the price must be above zero",
            Self::PriceTooHigh => {
                "the price, or the user's prices together, exceed 2^80 per second"
            }
            Self::PriceAboveLimit => "the offer costs more than the most you accept to pay",
            Self::ZeroMachines => "an offer needs at least one machine",
            Self::ZeroAmount => "the amount must be above zero",
            Self::MachinesBelowBooked => "the offer cannot have fewer machines than are booked",
            Self::OfferClosed => "the offer is closed",
            Self::OwnOffer => "a miner cannot book their own offer",
            Self::NoFreeMachine => "every machine of the offer is booked",
            Self::InsufficientBalance => {
                "the balance cannot pay a week of all your bookings with this one"
            }
            Self::BalanceRanOut => {
                "your balance ran out: your bookings must be settled before you book again"
            }
            Self::InsufficientFreeBalance => "that is more than the free balance",
            Self::DepositCapReached => "the broker holds at most 2^110 units in all",
            Self::MigrationInProgress => "a stablecoin migration is under way",
            Self::NoMigration => "no stablecoin migration is under way",
            Self::FeeTooHigh => "the community fee is at most 25%",
            Self::UrlTooLong => "the miner URL is longer than 256 bytes",
            Self::Overflow => "the result would not fit its integer type",
            Self::TokenCallFailed => "the stablecoin's call failed",
            Self::TokenTransferRejected => "the stablecoin refused the transfer",
            Self::TokenBalanceMismatch => "the stablecoin did not move the amount it reported",
            Self::ZeroTokenCallLimit => "a token call limit of zero would lift the limit",
            Self::CodeUpgradeFailed => "the code upgrade was refused",
            Self::UnknownLayout => "the storage is in a layout this build cannot read or migrate",
            Self::NoReportableBooking => "no ended booking with this id waits for a report",
            Self::ReportWindowClosed => "the booking ended too long ago to be reported",
            Self::ReportWindowOpen => "the booking's report window is still open",
            Self::BeneficiaryRanOut => {
                "that account's balance ran out: its bookings have stopped, and a deposit \
                 would not revive them"
            }
            Self::BrokerAsBeneficiary => "the broker itself cannot hold a balance",
        })
    }
}
