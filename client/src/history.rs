//! What happened on chain: a block's contract events, and the broker's
//! payments (`MinerPayout`), ended bookings (`BookingStopped`, which carries
//! the settlement that ended the booking) and complaints
//! (`BookingReported`) as records that a [`Filter`] narrows by kind, user,
//! miner, reason and block range. The SDK reads them from the chain block by
//! block; the indexer keeps the same records in a database.
use crate::domain::{decode, Block, Emitted, EventKind, Position};
use broker::events::{BookingReported, BookingStopped, MinerPayout};
use ink::primitives::AccountId;
use p2pcloud_common::StopReason;

impl Block {
    /// The records of `broker`'s payments, stops and complaints.
    pub fn records(&self, broker: AccountId) -> Vec<Record> {
        self.events_of(&[broker])
            .filter_map(|(position, event)| record_of(event, position))
            .collect()
    }
}

/// One payment, stop or complaint of the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub position: Position,
    pub kind: EventKind,
    pub booking_id: u64,
    pub user: AccountId,
    pub miner: AccountId,
    /// Why the booking ended, for stops and complaints.
    pub reason: Option<StopReason>,
    /// Seconds paid for: by this payment, or by the whole booking.
    pub seconds: u64,
    /// The miner's payment (before the fee was taken, it is `amount + fee`),
    /// or what the whole booking paid.
    pub amount: u128,
    /// What this event paid the miner, and for how many seconds: all of a
    /// payment, the settlement that ended the booking for a stop, nothing
    /// for a complaint. The sums of these are what miners were paid.
    pub paid_amount: u128,
    pub paid_seconds: u64,
}

/// The record of a broker event, if it is a payment, a stop or a complaint.
pub fn record_of(event: &Emitted, position: Position) -> Option<Record> {
    if let Some(payout) = decode::<MinerPayout>(event) {
        return Some(Record {
            position,
            kind: EventKind::Payment,
            booking_id: payout.booking_id,
            user: payout.user,
            miner: payout.miner,
            reason: None,
            seconds: payout.seconds,
            amount: payout.amount,
            paid_amount: payout.amount,
            paid_seconds: payout.seconds,
        });
    }
    if let Some(stopped) = decode::<BookingStopped>(event) {
        return Some(Record {
            position,
            kind: EventKind::Stop,
            booking_id: stopped.booking_id,
            user: stopped.user,
            miner: stopped.miner,
            reason: Some(stopped.reason),
            seconds: stopped.seconds_used,
            amount: stopped.amount_paid,
            paid_amount: stopped.settled_amount,
            paid_seconds: stopped.settled_seconds,
        });
    }
    decode::<BookingReported>(event).map(|reported| Record {
        position,
        kind: EventKind::Complaint,
        booking_id: reported.booking_id,
        user: reported.user,
        miner: reported.miner,
        reason: Some(StopReason::MinerMisbehaviour),
        seconds: reported.seconds_used,
        amount: reported.amount_paid,
        paid_amount: 0,
        paid_seconds: 0,
    })
}

/// Every payout to a miner among `events`, in order: each `MinerPayout`,
/// and the settlement each `BookingStopped` tells of the booking it ended.
pub fn payouts(events: &[Emitted]) -> impl Iterator<Item = MinerPayout> + '_ {
    events.iter().filter_map(|event| {
        decode::<MinerPayout>(event).or_else(|| decode::<BookingStopped>(event)?.settlement())
    })
}

/// What one claim or stop paid the miner; `None` when it paid nothing.
pub fn payout_of(events: &[Emitted]) -> Option<MinerPayout> {
    payouts(events).next()
}

/// Which records a query wants; every field that is set narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<EventKind>,
    pub user: Option<AccountId>,
    pub miner: Option<AccountId>,
    pub reason: Option<StopReason>,
    /// Blocks from this one, inclusive.
    pub from_block: Option<u64>,
    /// Blocks up to this one, inclusive.
    pub to_block: Option<u64>,
}

impl Filter {
    /// Refuses a filter that could only ever want nothing: a reason with
    /// payments, which have none (a reason narrows stops and complaints).
    pub fn check(&self) -> Result<(), FilterError> {
        if self.kind == Some(EventKind::Payment) && self.reason.is_some() {
            return Err(FilterError::ReasonOfPayments);
        }
        Ok(())
    }

    /// Whether `record` is one this filter wants.
    pub fn wants(&self, record: &Record) -> bool {
        let block = record.position.block_number;
        self.kind.is_none_or(|kind| kind == record.kind)
            && self.user.is_none_or(|user| user == record.user)
            && self.miner.is_none_or(|miner| miner == record.miner)
            && self
                .reason
                .is_none_or(|reason| Some(reason) == record.reason)
            && self.from_block.is_none_or(|from| block >= from)
            && self.to_block.is_none_or(|to| block <= to)
    }
}

/// The most blocks one read from the chain walks: each block is a few
/// requests to the node. Longer histories are an indexer's job.
pub const MAX_SCANNED_BLOCKS: u64 = 10_000;

/// The blocks a read of `filter` walks, given the newest finalized block:
/// `to_block` defaults to `head`, `from_block` to the last
/// `MAX_SCANNED_BLOCKS` blocks up to it. `None` if the range is empty.
pub fn scanned_blocks(
    filter: &Filter,
    head: u64,
) -> Result<Option<std::ops::RangeInclusive<u64>>, FilterError> {
    let to = filter.to_block.map_or(head, |to| to.min(head));
    let from = filter
        .from_block
        .unwrap_or_else(|| to.saturating_sub(MAX_SCANNED_BLOCKS - 1));
    if from > to {
        return Ok(None);
    }
    if to - from >= MAX_SCANNED_BLOCKS {
        return Err(FilterError::TooManyBlocks { from, to });
    }
    Ok(Some(from..=to))
}

/// A filter that cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterError {
    /// The block range is longer than one read from the chain walks.
    TooManyBlocks { from: u64, to: u64 },
    /// A reason was asked of payments, which have none.
    ReasonOfPayments,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooManyBlocks { from, to } => write!(
                f,
                "blocks {from} to {to} are more than the {MAX_SCANNED_BLOCKS} blocks one read \
                 from the chain walks; narrow the range, or ask an indexer (p2pcloud index, \
                 then p2pcloud events)"
            ),
            Self::ReasonOfPayments => {
                f.write_str("payments have no reason: a reason narrows stops and complaints")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::env::Event;
    use scale::Encode;

    fn emitted<E: Event + Encode>(contract: AccountId, event: E) -> Emitted {
        Emitted {
            contract,
            topics: vec![E::SIGNATURE_TOPIC.expect("a named event")],
            data: event.encode(),
        }
    }

    fn block(number: u64, events: Vec<Emitted>) -> Block {
        Block {
            number,
            time: 1_000 * number,
            events: events
                .into_iter()
                .enumerate()
                .map(|(index, event)| (index as u32, Some(1), event))
                .collect(),
        }
    }

    fn account(byte: u8) -> AccountId {
        AccountId::from([byte; 32])
    }

    #[test]
    fn a_block_gives_the_brokers_payments_stops_and_complaints_only() {
        let payout = MinerPayout {
            booking_id: 4,
            miner: account(2),
            user: account(1),
            seconds: 60,
            amount: 570,
            fee: 30,
        };
        let reported = BookingReported {
            booking_id: 4,
            user: account(1),
            miner: account(2),
            vm_type_id: 2,
            price_per_second: 10,
            seconds_used: 60,
            amount_paid: 600,
        };
        let elsewhere = account(9);
        let block = block(
            7,
            vec![
                emitted(account(0xB0), payout.clone()),
                emitted(elsewhere, payout),
                emitted(
                    account(0xB0),
                    broker::events::Deposited {
                        account: account(1),
                        amount: 5,
                    },
                ),
                emitted(account(0xB0), reported),
                emitted(
                    account(0xB0),
                    BookingStopped {
                        booking_id: 4,
                        user: account(1),
                        miner: account(2),
                        reason: StopReason::MinerMisbehaviour,
                        seconds_used: 60,
                        amount_paid: 600,
                        settled_amount: 95,
                        settled_fee: 5,
                        settled_seconds: 10,
                    },
                ),
            ],
        );
        let records = block.records(account(0xB0));
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].kind, EventKind::Payment);
        assert_eq!(
            (records[0].seconds, records[0].amount, records[0].reason),
            (60, 570, None)
        );
        assert_eq!((records[0].paid_seconds, records[0].paid_amount), (60, 570));
        assert_eq!(records[1].kind, EventKind::Complaint);
        assert_eq!(records[1].reason, Some(StopReason::MinerMisbehaviour));
        assert_eq!(records[1].position.event_index, 3);
        assert_eq!(records[1].position.block_time, 7_000);
        assert_eq!((records[1].paid_seconds, records[1].paid_amount), (0, 0));
        assert_eq!(records[2].kind, EventKind::Stop);
        assert_eq!(
            (records[2].seconds, records[2].amount, records[2].reason),
            (60, 600, Some(StopReason::MinerMisbehaviour))
        );
        assert_eq!((records[2].paid_seconds, records[2].paid_amount), (10, 95));
    }

    #[test]
    fn every_field_of_a_filter_narrows_it() {
        let record = Record {
            position: Position {
                block_number: 10,
                block_time: 0,
                event_index: 0,
                extrinsic_index: None,
            },
            kind: EventKind::Complaint,
            booking_id: 1,
            user: account(1),
            miner: account(2),
            reason: Some(StopReason::MinerMisbehaviour),
            seconds: 1,
            amount: 1,
            paid_amount: 0,
            paid_seconds: 0,
        };
        assert!(Filter::default().wants(&record));
        let wanting = Filter {
            kind: Some(EventKind::Complaint),
            user: Some(account(1)),
            miner: Some(account(2)),
            reason: Some(StopReason::MinerMisbehaviour),
            from_block: Some(10),
            to_block: Some(10),
        };
        assert!(wanting.wants(&record));
        let refusals = [
            Filter {
                kind: Some(EventKind::Payment),
                ..wanting.clone()
            },
            Filter {
                user: Some(account(2)),
                ..wanting.clone()
            },
            Filter {
                miner: Some(account(1)),
                ..wanting.clone()
            },
            Filter {
                reason: Some(StopReason::Ok),
                ..wanting.clone()
            },
            Filter {
                from_block: Some(11),
                ..wanting.clone()
            },
            Filter {
                to_block: Some(9),
                ..wanting.clone()
            },
        ];
        for filter in refusals {
            assert!(!filter.wants(&record), "{filter:?}");
        }
        assert_eq!(wanting.check(), Ok(()));
        let reason_of_payments = Filter {
            kind: Some(EventKind::Payment),
            reason: Some(StopReason::Ok),
            ..Filter::default()
        };
        assert_eq!(
            reason_of_payments.check(),
            Err(FilterError::ReasonOfPayments)
        );
    }

    #[test]
    fn a_read_walks_at_most_the_last_max_scanned_blocks() {
        let all = Filter::default();
        assert_eq!(scanned_blocks(&all, 5), Ok(Some(0..=5)));
        assert_eq!(scanned_blocks(&all, 50_000), Ok(Some(40_001..=50_000)));
        let past_head = Filter {
            from_block: Some(3),
            to_block: Some(99),
            ..Filter::default()
        };
        assert_eq!(scanned_blocks(&past_head, 10), Ok(Some(3..=10)));
        let ahead = Filter {
            from_block: Some(11),
            ..Filter::default()
        };
        assert_eq!(scanned_blocks(&ahead, 10), Ok(None));
        let too_long = Filter {
            from_block: Some(1),
            to_block: Some(MAX_SCANNED_BLOCKS + 1),
            ..Filter::default()
        };
        assert_eq!(
            scanned_blocks(&too_long, u64::MAX),
            Err(FilterError::TooManyBlocks {
                from: 1,
                to: MAX_SCANNED_BLOCKS + 1
            })
        );
        let longest = Filter {
            from_block: Some(1),
            to_block: Some(MAX_SCANNED_BLOCKS),
            ..Filter::default()
        };
        assert_eq!(
            scanned_blocks(&longest, u64::MAX),
            Ok(Some(1..=MAX_SCANNED_BLOCKS))
        );
    }
}
