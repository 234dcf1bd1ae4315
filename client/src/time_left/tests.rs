use super::*;

const WEEK_MS: u64 = 604_800_000;
/// 2026-12-01 00:00 UTC.
const DEC_1: u64 = 1_796_083_200_000;

/// A user paying `pps` per second in all, whose balance covers them until
/// `runs_out_at`, seen before that moment.
fn report(pps: u128, runs_out_at: Option<u64>) -> BalanceReport {
    BalanceReport {
        deposited: 0,
        owed: 0,
        locked: pps * WEEK_SECONDS,
        free: 0,
        runs_out_at,
    }
}

#[test]
fn without_bookings_nothing_runs_out_and_nothing_is_due() {
    let none = report(0, None);
    assert_eq!(TimeLeft::of(&none, DEC_1), TimeLeft::NoBookings);
    assert!(!TimeLeft::of(&none, DEC_1).below(u64::MAX));
    assert_eq!(top_up_needed(&none, DEC_1, WEEK_MS), 0);
    assert_eq!(TimeLeft::NoBookings.to_string(), "no bookings to pay for");
}

#[test]
fn time_left_reads_as_a_sentence_with_the_utc_moment() {
    let at = DEC_1 + 2 * DAY_MS + 14 * HOUR_MS;
    let left = TimeLeft::of(&report(10, Some(at)), DEC_1 + 11 * HOUR_MS);
    assert_eq!(
        left,
        TimeLeft::Until {
            at,
            left_ms: 2 * DAY_MS + 3 * HOUR_MS
        }
    );
    assert_eq!(
        left.to_string(),
        "runs out in 2 days 3 hours, at 2026-12-03 14:00 UTC"
    );
    assert!(left.below(3 * DAY_MS));
    assert!(!left.below(2 * DAY_MS + 3 * HOUR_MS));
}

#[test]
fn a_balance_that_ran_out_is_past_every_margin_and_no_top_up_revives_it() {
    let at = DEC_1 - 1;
    let left = TimeLeft::of(&report(10, Some(at)), DEC_1);
    assert_eq!(left, TimeLeft::RanOut { at });
    assert!(left.below(0));
    assert_eq!(left.to_string(), "ran out at 2026-11-30 23:59 UTC");
    assert_eq!(top_up_needed(&report(10, Some(at)), DEC_1, WEEK_MS), 0);
    // At the run-out moment itself the bookings are still paid.
    assert_eq!(
        TimeLeft::of(&report(10, Some(DEC_1)), DEC_1),
        TimeLeft::Until {
            at: DEC_1,
            left_ms: 0
        }
    );
}

#[test]
fn a_balance_beyond_any_block_time_never_runs_out() {
    let capped = report(1, Some(u64::MAX));
    assert_eq!(TimeLeft::of(&capped, DEC_1), TimeLeft::Unbounded);
    assert!(!TimeLeft::of(&capped, DEC_1).below(u64::MAX));
    assert_eq!(top_up_needed(&capped, DEC_1, u64::MAX), 0);
}

#[test]
fn a_top_up_buys_exactly_the_missing_time_rounded_up() {
    // 7 per second, 10.5 seconds short of the margin: 73.5, so 74.
    let now = DEC_1;
    let at = now + 3 * DAY_MS;
    let needed = top_up_needed(&report(7, Some(at)), now, 3 * DAY_MS + 10_500);
    assert_eq!(needed, 74);
    // Already far enough: nothing.
    assert_eq!(top_up_needed(&report(7, Some(at)), now, 3 * DAY_MS), 0);
    // A margin beyond the u64 range saturates instead of overflowing.
    assert!(top_up_needed(&report(7, Some(at)), now, u64::MAX) > 0);
}

#[test]
fn durations_are_said_in_their_two_largest_units() {
    assert_eq!(spoken_duration(0), "0 seconds");
    assert_eq!(spoken_duration(999), "0 seconds");
    assert_eq!(spoken_duration(45_000), "45 seconds");
    assert_eq!(spoken_duration(DAY_MS), "1 day");
    assert_eq!(spoken_duration(DAY_MS + 5 * MINUTE_MS), "1 day");
    assert_eq!(
        spoken_duration(3 * HOUR_MS + MINUTE_MS + 9_000),
        "3 hours 1 minute"
    );
}

#[test]
fn block_times_print_as_utc_dates_across_leap_years() {
    assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
    assert_eq!(utc_minute(DEC_1), "2026-12-01 00:00 UTC");
    // 2028-02-29 12:34 UTC.
    assert_eq!(utc_minute(1_835_440_440_000), "2028-02-29 12:34 UTC");
    // The largest block time still prints (year 584 556 019).
    assert!(utc_minute(u64::MAX).starts_with("584556019-"));
}

#[test]
fn the_summary_carries_the_report_in_the_tokens_units() {
    let at = DEC_1 + DAY_MS;
    let summary = BalanceSummary::new(
        "5Grw".into(),
        &BalanceReport {
            deposited: 12_500_000,
            owed: 1,
            locked: 6_048_000,
            free: 6_451_999,
            runs_out_at: Some(at),
        },
        DEC_1,
        "mUSD",
        6,
    );
    assert_eq!(summary.deposited, "12.5");
    assert_eq!(summary.owed, "0.000001");
    assert_eq!(summary.runs_out_in.as_deref(), Some("1d"));
    assert_eq!(summary.runs_out_at, Some(at));
    assert!(!summary.ran_out);
    assert_eq!(
        summary.time_left,
        "runs out in 1 day, at 2026-12-02 00:00 UTC"
    );
}

/// Against the broker's own rules (its in-memory world): depositing
/// `top_up_needed` brings the run-out to the margin, and it is at most one
/// second of the prices above the least deposit that does.
#[test]
fn the_top_up_is_the_least_deposit_that_reaches_the_margin_on_the_broker() {
    use broker::memory::{account, World};
    let (miner, user) = (account(1), account(2));
    for prices in [&[1u128][..], &[7, 13], &[999, 3, 250]] {
        for (waited_ms, keep_ms) in [
            (0, 8 * DAY_MS),
            (3 * DAY_MS + 1_234, 5 * DAY_MS + 777),
            (6 * DAY_MS, 30 * DAY_MS),
        ] {
            let mut world = World::new(DEC_1);
            let pps: u128 = prices.iter().sum();
            world.fund(user, pps * WEEK_SECONDS + 12_345);
            for price in prices {
                let (offer, _) = world
                    .broker
                    .add_offer(miner, 1, *price, 1, [0; 32])
                    .unwrap();
                world
                    .broker
                    .book_vm(user, offer, *price, world.now)
                    .unwrap();
            }
            world.now += waited_ms;
            let now = world.now;
            let before = world.broker.check_balance(user, now).unwrap();
            let needed = top_up_needed(&before, now, keep_ms);
            assert!(needed > 0, "{prices:?}: a week never covers {keep_ms} ms");
            let mut short = world.clone();
            short.fund(user, needed - pps.div_ceil(1_000) - 1);
            let short_until = short.broker.check_balance(user, now).unwrap().runs_out_at;
            assert!(
                short_until < Some(now + keep_ms),
                "{prices:?}: far less was enough"
            );
            world.fund(user, needed);
            let after = world.broker.check_balance(user, now).unwrap();
            assert!(
                after.runs_out_at >= Some(now + keep_ms),
                "{prices:?}: {after:?}"
            );
            assert_eq!(top_up_needed(&after, now, keep_ms), 0);
        }
    }
}
