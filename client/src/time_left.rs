//! How long an account's balance keeps its bookings paid, said the way a
//! person reads it, and what a top-up needs to keep it above a margin. Money
//! that arrives after the run-out never revives the bookings, so these are
//! what warnings and automatic top-ups act on.
use crate::domain::{Duration, TokenAmount};
use crate::{sdk::P2pCloud, Error};
use broker::types::{BalanceReport, Booking, BookingId, WEEK_SECONDS};
use ink::primitives::AccountId;
use std::collections::{btree_map::Entry, BTreeMap};
use std::fmt;

const SECOND_MS: u64 = 1_000;
const MINUTE_MS: u64 = 60 * SECOND_MS;
const HOUR_MS: u64 = 60 * MINUTE_MS;
const DAY_MS: u64 = 24 * HOUR_MS;

/// An account's time left at some moment, from its `BalanceReport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLeft {
    /// No bookings: nothing runs out.
    NoBookings,
    /// The balance covers the bookings until `at`, `left_ms` from now.
    Until { at: u64, left_ms: u64 },
    /// The balance ran out at `at`: the bookings accrue no further.
    RanOut { at: u64 },
    /// The balance covers the bookings beyond any block time (`u64::MAX`).
    Unbounded,
}

impl TimeLeft {
    /// The time left in `report` at `now` (the chain's time, milliseconds).
    pub fn of(report: &BalanceReport, now: u64) -> Self {
        match report.runs_out_at {
            None => Self::NoBookings,
            Some(u64::MAX) => Self::Unbounded,
            Some(at) if at < now => Self::RanOut { at },
            Some(at) => Self::Until {
                at,
                left_ms: at.saturating_sub(now),
            },
        }
    }

    /// Whether bookings are paid for less than `margin_ms` more: a warning,
    /// or a top-up, is due. A balance that ran out is past any margin.
    pub fn below(&self, margin_ms: u64) -> bool {
        match self {
            Self::Until { left_ms, .. } => *left_ms < margin_ms,
            Self::RanOut { .. } => true,
            Self::NoBookings | Self::Unbounded => false,
        }
    }

    /// The run-out moment, where there is one.
    pub fn runs_out_at(&self) -> Option<u64> {
        match self {
            Self::Until { at, .. } | Self::RanOut { at } => Some(*at),
            Self::NoBookings | Self::Unbounded => None,
        }
    }
}

impl fmt::Display for TimeLeft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoBookings => f.write_str("no bookings to pay for"),
            Self::Until { at, left_ms } => write!(
                f,
                "runs out in {}, at {}",
                spoken_duration(*left_ms),
                utc_minute(*at)
            ),
            Self::RanOut { at } => write!(f, "ran out at {}", utc_minute(*at)),
            Self::Unbounded => f.write_str("does not run out within any block time"),
        }
    }
}

/// What must be deposited now so `report`'s bookings stay paid until at
/// least `now + keep_ms`: zero when they already are, or when there is
/// nothing to keep (no bookings, or a balance that ran out, which no deposit
/// revives). Never short: the run-out moves by `1000 * deposit / total_pps`
/// milliseconds; the report's rounded run-out may cost up to one second of
/// the bookings' prices more than the least deposit that would do.
pub fn top_up_needed(report: &BalanceReport, now: u64, keep_ms: u64) -> u128 {
    let TimeLeft::Until { at, .. } = TimeLeft::of(report, now) else {
        return 0;
    };
    let target = now.saturating_add(keep_ms);
    if at >= target {
        return 0;
    }
    // Before the run-out, `locked` is a week of all the bookings' prices.
    let price_per_second = report.locked / WEEK_SECONDS;
    let gap_ms = u128::from(target - at);
    gap_ms
        .saturating_mul(price_per_second)
        .div_ceil(u128::from(SECOND_MS))
}

/// "2 days 3 hours": the two largest units, for people ("45 seconds" below
/// a minute, "0 seconds" at none).
pub fn spoken_duration(ms: u64) -> String {
    let mut rest = ms;
    let counts = [
        (DAY_MS, "day"),
        (HOUR_MS, "hour"),
        (MINUTE_MS, "minute"),
        (SECOND_MS, "second"),
    ]
    .map(|(size, name)| {
        let count = rest / size;
        rest %= size;
        (count, name)
    });
    let Some(first) = counts.iter().position(|(count, _)| *count > 0) else {
        return "0 seconds".into();
    };
    counts[first..]
        .iter()
        .take(2)
        .filter(|(count, _)| *count > 0)
        .map(|(count, name)| {
            let plural = if *count == 1 { "" } else { "s" };
            format!("{count} {name}{plural}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A block time as "2026-12-03 14:00 UTC" (to the minute).
pub fn utc_minute(ms: u64) -> String {
    let minutes = ms / MINUTE_MS;
    let (days, minute_of_day) = (minutes / (24 * 60), minutes % (24 * 60));
    let (year, month, day) = civil_date(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (the days-to-civil
/// algorithm: 400-year eras of 146 097 days).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// What `p2pcloud balance` prints and the indexer's
/// `GET /accounts/{account}/balance` answers: the report in the token's
/// units and the time left, as a sentence and as numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BalanceSummary {
    pub account: String,
    pub deposited: String,
    pub owed: String,
    pub locked: String,
    pub free: String,
    pub symbol: String,
    /// As `Duration` writes it ("6d 23h"); none without bookings.
    pub runs_out_in: Option<String>,
    /// The run-out moment, milliseconds since the epoch.
    pub runs_out_at: Option<u64>,
    pub ran_out: bool,
    /// "runs out in 2 days 3 hours, at 2026-12-03 14:00 UTC".
    pub time_left: String,
}

impl BalanceSummary {
    pub fn new(
        account: String,
        report: &BalanceReport,
        now: u64,
        symbol: &str,
        decimals: u8,
    ) -> Self {
        let money = |units| TokenAmount::new(units, decimals).to_string();
        let left = TimeLeft::of(report, now);
        Self {
            account,
            deposited: money(report.deposited),
            owed: money(report.owed),
            locked: money(report.locked),
            free: money(report.free),
            symbol: symbol.to_string(),
            runs_out_in: report
                .runs_out_at
                .map(|at| Duration(at.saturating_sub(now)).to_string()),
            runs_out_at: left.runs_out_at(),
            ran_out: matches!(left, TimeLeft::RanOut { .. }),
            time_left: left.to_string(),
        }
    }
}

/// The time left of each user of `bookings`, for miners who want to know
/// which users are about to stop paying.
pub async fn users_time_left(
    sdk: &mut impl P2pCloud,
    bookings: &[(BookingId, Booking)],
    now: u64,
) -> Result<BTreeMap<AccountId, TimeLeft>, Error> {
    let mut left = BTreeMap::new();
    for (_, booking) in bookings {
        if let Entry::Vacant(entry) = left.entry(booking.user) {
            let report = sdk.balance(booking.user).await?;
            entry.insert(TimeLeft::of(&report, now));
        }
    }
    Ok(left)
}

#[cfg(test)]
mod tests;
