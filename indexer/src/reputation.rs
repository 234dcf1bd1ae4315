//! A miner's reputation from what the chain says it did.
//!
//! The score is the share of the value a miner was paid for that no user
//! complained about, shrunk toward a neutral prior while the history is short:
//!
//! ```text
//! decay(t)   = 0.5 ^ ((now - t) / half_life)
//! paid       = Σ over payouts p:         amount(p) × decay(t_p)
//!              (payments, and the settlements that ended bookings)
//! weight(c)  = amount the reported booking paid × decay(t_c)
//!              (0 for a booking that ran zero seconds, or the miner's own)
//! weight(e)  = early_end × amount the booking paid × decay(t_e), for a
//!              booking its miner ended (`MinerTerminated`) that its user
//!              did not report (a report replaces it); same zero rules
//! reported   = Σ over users u: min(Σ weight of u's complaints and early ends,
//!                                  reporter_cap × (paid + prior))
//! score      = clamp((paid − reported + prior × 0.5) / (paid + prior), 0, 1)
//! ```
//!
//! A report weighs what its booking paid the miner, and that payment also
//! counts toward `paid`. So sinking a miner's score costs the reporters as
//! much as the miner's honest users paid; reports of bookings that never ran
//! weigh nothing. A miner who ends bookings before their users can report
//! them (or to pre-empt a report) is counted half a complaint for each
//! (`early_end`): ending a booking is a miner's right, but not a free one.
//! One reporter can take at most `reporter_cap` of the score,
//! old reports and payments fade with `half_life`, and a miner with little paid
//! history stays near 0.5 (`prior` is the paid value that counts as much as
//! the neutral prior).
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{EventKind, StopReason},
    history::Record,
};
use p2pcloud_common::Balance;
use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// The formula's constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// After this many milliseconds a payment or a report counts half.
    pub half_life_ms: u64,
    /// The most of the score one reporter can take, as a share.
    pub reporter_cap: f64,
    /// Paid value (in the token's smallest units) that weighs as much as the
    /// neutral prior of 0.5.
    pub prior: f64,
    /// What a booking its miner ended weighs, as a share of a complaint.
    pub early_end: f64,
}

impl Default for Weights {
    /// 30 days; a quarter; 100 units of a 6-decimal stablecoin; a half.
    fn default() -> Self {
        Self {
            half_life_ms: 30 * 24 * 3_600 * 1_000,
            reporter_cap: 0.25,
            prior: 100_000_000.0,
            early_end: 0.5,
        }
    }
}

/// What a miner did, and the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Reputation {
    pub miner: AccountId,
    /// Seconds of bookings the miner was paid for.
    pub seconds_served: u64,
    /// What the miner was paid, in the token's smallest units.
    pub earned: Balance,
    /// Users who paid the miner.
    pub distinct_users: u64,
    /// Ended bookings by stop reason.
    pub stops_by_reason: StopCounts,
    /// Complaints (`BookingReported`), however much they weigh.
    pub complaints: u64,
    /// From 0 (every paid value complained about) to 1; 0.5 without history.
    pub score: f64,
}

/// How many bookings ended for each stop reason; in JSON a map from the
/// reason's name to its count, for the reasons some booking ended for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StopCounts(
    /// Indexed by the reason's code (0 to 4, `StopReason::ALL`'s order).
    [u64; StopReason::ALL.len()],
);

impl StopCounts {
    /// How many ended for `reason`.
    pub fn get(&self, reason: StopReason) -> u64 {
        self.0[reason as usize]
    }

    /// Counts one more ended for `reason`.
    pub(crate) fn add(&mut self, reason: StopReason) {
        self.0[reason as usize] = self.get(reason).saturating_add(1);
    }

    /// The reasons some booking ended for, with how many.
    pub fn iter(&self) -> impl Iterator<Item = (StopReason, u64)> + '_ {
        StopReason::ALL
            .into_iter()
            .map(|reason| (reason, self.get(reason)))
            .filter(|(_, count)| *count > 0)
    }
}

/// Keyed by name, in the names' order (the order the answers' maps have
/// always had).
impl Serialize for StopCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let by_name: BTreeMap<String, u64> = self
            .iter()
            .map(|(reason, count)| (reason.to_string(), count))
            .collect();
        by_name.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StopCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut counts = Self::default();
        for (name, count) in BTreeMap::<String, u64>::deserialize(deserializer)? {
            let reason: StopReason = name.parse().map_err(D::Error::custom)?;
            counts.0[reason as usize] = count;
        }
        Ok(counts)
    }
}

/// `miner`'s reputation at `now` (milliseconds) from its `history`.
pub fn reputation(miner: AccountId, history: &[Record], now: u64, weights: &Weights) -> Reputation {
    let decay = |time: u64| {
        let age = now.saturating_sub(time) as f64;
        0.5f64.powf(age / weights.half_life_ms.max(1) as f64)
    };
    let mut paid = 0.0;
    let mut seconds_served = 0u64;
    let mut earned: Balance = 0;
    let mut users = BTreeSet::new();
    let mut stops_by_reason = StopCounts::default();
    let mut complaints = 0u64;
    let mut by_reporter: BTreeMap<AccountId, f64> = BTreeMap::new();
    let history: Vec<&Record> = history.iter().filter(|r| r.miner == miner).collect();
    let reported: BTreeSet<u64> = history
        .iter()
        .filter(|r| r.kind == EventKind::Complaint)
        .map(|r| r.booking_id)
        .collect();
    // What a complaint or an early end of `record` weighs against its user.
    let mut count_against = |record: &Record, share: f64| {
        if record.seconds > 0 && record.user != miner {
            let weight = record.amount as f64 * decay(record.position.block_time) * share;
            *by_reporter.entry(record.user).or_default() += weight;
        }
    };
    for record in history {
        let time = record.position.block_time;
        if record.paid_seconds > 0 {
            paid += record.paid_amount as f64 * decay(time);
            seconds_served = seconds_served.saturating_add(record.paid_seconds);
            earned = earned.saturating_add(record.paid_amount);
            users.insert(record.user);
        }
        match record.kind {
            EventKind::Payment => {}
            EventKind::Stop => {
                if let Some(reason) = record.reason {
                    stops_by_reason.add(reason);
                }
                let early = record.reason == Some(StopReason::MinerTerminated);
                if early && !reported.contains(&record.booking_id) {
                    count_against(record, weights.early_end);
                }
            }
            EventKind::Complaint => {
                complaints += 1;
                count_against(record, 1.0);
            }
        }
    }
    let cap = weights.reporter_cap * (paid + weights.prior);
    let reported: f64 = by_reporter.values().map(|weight| weight.min(cap)).sum();
    let score = ((paid - reported + weights.prior * 0.5) / (paid + weights.prior)).clamp(0.0, 1.0);
    Reputation {
        miner,
        seconds_served,
        earned,
        distinct_users: users.len() as u64,
        stops_by_reason,
        complaints,
        score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p2pcloud_client::domain::Position;

    const DAY: u64 = 86_400_000;
    const MINER: [u8; 32] = [7; 32];

    /// A record of `kind`; a payment paid `amount` for `seconds`, a stop or
    /// a complaint paid nothing itself.
    fn at(time: u64, kind: EventKind, user: u32, seconds: u64, amount: Balance) -> Record {
        let payment = kind == EventKind::Payment;
        let mut user_bytes = [1u8; 32];
        user_bytes[..4].copy_from_slice(&user.to_le_bytes());
        Record {
            position: Position {
                block_number: time / 6_000,
                block_time: time,
                event_index: 0,
                extrinsic_index: None,
            },
            kind,
            booking_id: u64::from(user),
            user: AccountId::from(user_bytes),
            miner: AccountId::from(MINER),
            reason: (!payment).then_some(StopReason::MinerMisbehaviour),
            seconds,
            amount,
            paid_amount: if payment { amount } else { 0 },
            paid_seconds: if payment { seconds } else { 0 },
        }
    }

    /// 50 users who each paid 10 000 units (10 000 seconds at 1 unit).
    fn honest_history(now: u64) -> Vec<Record> {
        (0..50)
            .map(|user| at(now - DAY, EventKind::Payment, user, 10_000, 10_000_000))
            .collect()
    }

    fn score(history: &[Record], now: u64) -> f64 {
        reputation(AccountId::from(MINER), history, now, &Weights::default()).score
    }

    #[test]
    fn without_history_the_score_is_neutral_and_grows_with_good_service() {
        let now = 100 * DAY;
        assert_eq!(score(&[], now), 0.5);
        let history = honest_history(now);
        // 489 million units paid (decayed a day) against a prior of 100 million.
        assert!(
            (0.91..0.92).contains(&score(&history, now)),
            "{}",
            score(&history, now)
        );
        let few = &history[..1];
        let early = score(few, now);
        assert!(early > 0.5 && early < score(&history, now), "{early}");
        let report = reputation(AccountId::from(MINER), &history, now, &Weights::default());
        assert_eq!(report.distinct_users, 50);
        assert_eq!(report.seconds_served, 500_000);
        assert_eq!(report.earned, 500_000_000);
    }

    #[test]
    fn cheap_sybil_reports_cannot_sink_an_honest_miner() {
        let now = 100 * DAY;
        let honest = score(&honest_history(now), now);
        // A thousand identities report bookings that never ran: nothing.
        let mut history = honest_history(now);
        history.extend((1_000..2_000).map(|sybil| at(now, EventKind::Complaint, sybil, 0, 0)));
        assert_eq!(score(&history, now), honest);
        // A thousand that each paid for one second (one unit) and reported.
        let mut history = honest_history(now);
        for sybil in 1_000..2_000 {
            history.push(at(now, EventKind::Payment, sybil, 1, 1_000));
            history.push(at(now, EventKind::Complaint, sybil, 1, 1_000));
        }
        let attacked = score(&history, now);
        assert!(
            honest - attacked < 0.002,
            "a million units of sybil reports moved {honest} to {attacked}"
        );
        // To halve the score they must pay as much as every honest user did.
        let mut history = honest_history(now);
        for sybil in 1_000..1_500 {
            history.push(at(now, EventKind::Payment, sybil, 10_000, 1_000_000));
            history.push(at(now, EventKind::Complaint, sybil, 10_000, 1_000_000));
        }
        let costly = score(&history, now);
        assert!(costly > 0.4 && costly < 0.6, "{costly}");
    }

    #[test]
    fn one_reporter_takes_at_most_a_quarter() {
        let now = 100 * DAY;
        let mut history = honest_history(now);
        history.push(at(now, EventKind::Payment, 999, 1_000_000, 5_000_000_000));
        history.push(at(now, EventKind::Complaint, 999, 1_000_000, 5_000_000_000));
        let whale = score(&history, now);
        assert!((0.72..0.78).contains(&whale), "{whale}");
    }

    #[test]
    fn old_reports_fade_and_the_miners_own_weigh_nothing() {
        let now = 400 * DAY;
        let mut fresh = honest_history(now);
        fresh.extend((0..10).map(|user| at(now, EventKind::Complaint, user, 10_000, 10_000_000)));
        let mut old = honest_history(now);
        old.extend((0..10).map(|user| {
            at(
                now - 300 * DAY,
                EventKind::Complaint,
                user,
                10_000,
                10_000_000,
            )
        }));
        assert!(score(&old, now) > score(&fresh, now) + 0.1);
        let mut own = honest_history(now);
        let mut complaint = at(now, EventKind::Complaint, 0, 10_000, 10_000_000);
        complaint.user = AccountId::from(MINER);
        own.push(complaint);
        assert_eq!(score(&own, now), score(&honest_history(now), now));
    }

    /// A miner who ends a booking itself keeps the user from reporting it
    /// at the stop; the early end weighs half of what a report would.
    fn ended_by_the_miner(time: u64, user: u32) -> Record {
        Record {
            reason: Some(StopReason::MinerTerminated),
            ..at(time, EventKind::Stop, user, 10_000, 10_000_000)
        }
    }

    #[test]
    fn early_ends_by_the_miner_count_half_a_complaint_and_a_later_report_replaces_them() {
        let now = 400 * DAY;
        let clean = score(&honest_history(now), now);
        let mut ended = honest_history(now);
        ended.extend((0..10).map(|user| ended_by_the_miner(now, user)));
        let mut reported = honest_history(now);
        reported
            .extend((0..10).map(|user| at(now, EventKind::Complaint, user, 10_000, 10_000_000)));
        let (ended, reported) = (score(&ended, now), score(&reported, now));
        assert!(ended < clean, "{ended} >= {clean}");
        assert!((clean - ended - (clean - reported) / 2.0).abs() < 1e-9);
        // Reported after the miner ended it: counted once, as the report.
        let mut both = honest_history(now);
        both.extend((0..10).map(|user| ended_by_the_miner(now, user)));
        both.extend((0..10).map(|user| at(now, EventKind::Complaint, user, 10_000, 10_000_000)));
        assert_eq!(score(&both, now), reported);
        // Ends by the user or for non-payment weigh nothing.
        let mut others = honest_history(now);
        for reason in [StopReason::Ok, StopReason::NonPayment] {
            others.extend((0..10).map(|user| Record {
                reason: Some(reason),
                ..at(now, EventKind::Stop, user, 10_000, 10_000_000)
            }));
        }
        assert_eq!(score(&others, now), clean);
    }

    /// A stop tells the settlement that ended its booking: that pay counts
    /// as a payment's, whatever the stop's reason.
    #[test]
    fn the_settlement_a_stop_carries_counts_as_paid() {
        let now = 100 * DAY;
        let paid = honest_history(now);
        let stopped: Vec<Record> = paid
            .iter()
            .map(|payment| Record {
                kind: EventKind::Stop,
                reason: Some(StopReason::Ok),
                ..payment.clone()
            })
            .collect();
        let miner = AccountId::from(MINER);
        let (by_payments, by_stops) = (
            reputation(miner, &paid, now, &Weights::default()),
            reputation(miner, &stopped, now, &Weights::default()),
        );
        assert_eq!(by_stops.score, by_payments.score);
        assert_eq!(by_stops.earned, 50 * 10_000_000);
        assert_eq!(by_stops.seconds_served, 50 * 10_000);
        assert_eq!(by_stops.distinct_users, 50);
    }
}
