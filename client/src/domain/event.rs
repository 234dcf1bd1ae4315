//! Contract events as a chain records them, the blocks that hold them, and
//! the kinds of broker event the history keeps.
use ink::primitives::AccountId;
use scale::Decode;
use std::{fmt, str::FromStr};

/// A contract event as the chain recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    pub contract: AccountId,
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

/// `event` decoded as `E`, if `E`'s signature topic is its first topic.
pub fn decode<E: ink::env::Event + Decode>(event: &Emitted) -> Option<E> {
    let signature = E::SIGNATURE_TOPIC?;
    if event.topics.first() != Some(&signature) {
        return None;
    }
    E::decode(&mut &event.data[..]).ok()
}

/// The first event of type `E` that `contract` emitted among `events`: a
/// contract it called (a token) could emit a look-alike.
pub fn emitted_by<E: ink::env::Event + Decode>(
    events: &[Emitted],
    contract: AccountId,
) -> Option<E> {
    events
        .iter()
        .filter(|event| event.contract == contract)
        .find_map(decode::<E>)
}

/// The first event of type `E` among `events`, with its topics.
pub fn find<E: ink::env::Event + Decode>(events: &[Emitted]) -> Option<(E, Vec<[u8; 32]>)> {
    events
        .iter()
        .find_map(|event| decode::<E>(event).map(|e| (e, event.topics.clone())))
}

/// One block's contract events, in the block's event order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub number: u64,
    /// Milliseconds.
    pub time: u64,
    /// Each contract event with its index among the block's events and the
    /// extrinsic that emitted it.
    pub events: Vec<(u32, Option<u32>, Emitted)>,
}

impl Block {
    /// The events any of `contracts` emitted in this block, each with where
    /// it happened.
    pub fn events_of<'a>(
        &'a self,
        contracts: &'a [AccountId],
    ) -> impl Iterator<Item = (Position, &'a Emitted)> + 'a {
        self.events
            .iter()
            .filter(|(_, _, event)| contracts.contains(&event.contract))
            .map(|(event_index, extrinsic_index, event)| {
                let position = Position {
                    block_number: self.number,
                    block_time: self.time,
                    event_index: *event_index,
                    extrinsic_index: *extrinsic_index,
                };
                (position, event)
            })
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

/// The kinds of broker event the history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// A miner was paid for some seconds of a booking that goes on
    /// (`MinerPayout`); a stop tells the settlement that ended one.
    Payment,
    /// A booking ended, for a reason (`BookingStopped`).
    Stop,
    /// A user reported the miner when stopping (`BookingReported`).
    Complaint,
}

impl EventKind {
    pub const ALL: [Self; 3] = [Self::Payment, Self::Stop, Self::Complaint];

    fn name(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Stop => "stop",
            Self::Complaint => "complaint",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A text that names no kind of event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKindError(pub String);

impl fmt::Display for EventKindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a kind: payment, complaint or stop", self.0)
    }
}

impl std::error::Error for EventKindError {}

impl FromStr for EventKind {
    type Err = EventKindError;

    fn from_str(text: &str) -> Result<Self, EventKindError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == text)
            .ok_or_else(|| EventKindError(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_kinds_read_back_as_written_and_others_are_refused() {
        for kind in EventKind::ALL {
            assert_eq!(kind.to_string().parse(), Ok(kind));
        }
        assert_eq!(
            "payout".parse::<EventKind>().unwrap_err().to_string(),
            "\"payout\" is not a kind: payment, complaint or stop"
        );
    }
}
