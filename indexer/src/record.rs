//! The broker events the indexer keeps, as rows: payments to miners
//! (`MinerPayout`), ended bookings (`BookingStopped`) and complaints
//! (`BookingReported`). They are decoded with the broker's own event types.
use broker::events::{BookingReported, BookingStopped, MinerPayout};
use ink::primitives::AccountId;
use p2pcloud_client::{chain::Emitted, events::decode};

/// What kind of event a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A miner was paid for `seconds` of a booking (`MinerPayout`).
    Payment,
    /// A booking ended, for `reason` (`BookingStopped`).
    Stop,
    /// A user reported the miner when stopping (`BookingReported`).
    Complaint,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Stop => "stop",
            Self::Complaint => "complaint",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Payment, Self::Stop, Self::Complaint]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// Where an event happened on chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub block_number: u64,
    /// The block's timestamp, in milliseconds.
    pub block_time: u64,
    /// The event's index among the block's events: with the block number, its
    /// identity (a second indexing of the block stores nothing new).
    pub event_index: u32,
    /// The extrinsic that emitted it.
    pub extrinsic_index: Option<u32>,
}

/// One stored broker event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub position: Position,
    pub kind: Kind,
    pub booking_id: u64,
    pub user: AccountId,
    pub miner: AccountId,
    /// The stop reason (`StopReason` as its byte) of stops and complaints.
    pub reason: Option<u8>,
    /// Seconds paid for: by this payment, or by the whole booking.
    pub seconds: u64,
    /// The miner's payment (before the fee was taken, it is `amount + fee`),
    /// or what the whole booking paid.
    pub amount: u128,
}

/// The record of a broker event, if it is one the indexer keeps.
pub fn record_of(event: &Emitted, position: Position) -> Option<Record> {
    if let Some(payout) = decode::<MinerPayout>(event) {
        return Some(Record {
            position,
            kind: Kind::Payment,
            booking_id: payout.booking_id,
            user: payout.user,
            miner: payout.miner,
            reason: None,
            seconds: payout.seconds,
            amount: payout.amount,
        });
    }
    if let Some(stopped) = decode::<BookingStopped>(event) {
        return Some(Record {
            position,
            kind: Kind::Stop,
            booking_id: stopped.booking_id,
            user: stopped.user,
            miner: stopped.miner,
            reason: Some(stopped.reason as u8),
            seconds: stopped.seconds_used,
            amount: stopped.amount_paid,
        });
    }
    decode::<BookingReported>(event).map(|reported| Record {
        position,
        kind: Kind::Complaint,
        booking_id: reported.booking_id,
        user: reported.user,
        miner: reported.miner,
        reason: Some(p2pcloud_common::StopReason::MinerMisbehaviour as u8),
        seconds: reported.seconds_used,
        amount: reported.amount_paid,
    })
}

/// Any event of the watched contracts (the broker and the community), kept
/// whole: its name and fields as the contracts' metadata prints them, and its
/// SCALE data for whoever decodes it another way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEvent {
    pub position: Position,
    pub contract: AccountId,
    /// The event's name, or `unnamed` where the metadata was not found.
    pub name: String,
    /// The event with its fields, as the metadata prints it.
    pub text: String,
    pub data: Vec<u8>,
}

/// `event` with its name and fields from the contracts' metadata.
pub fn contract_event(event: &Emitted, position: Position) -> ContractEvent {
    let text = p2pcloud_client::events::describe(event);
    let name = text
        .split([' ', '{'])
        .next()
        .filter(|word| word.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .unwrap_or("unnamed")
        .to_string();
    ContractEvent {
        position,
        contract: event.contract,
        name,
        text,
        data: event.data.clone(),
    }
}
