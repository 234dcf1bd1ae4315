//! `p2pcloud watch`: follows accounts' balances and bookings, warns before a
//! balance runs out and says when a booking ends. Built for cron (`--once`,
//! exit code 3 after a warning) and for a systemd unit (runs until stopped,
//! waits out a node that goes away, one line per event).
use crate::{args::WatchArgs, output::Output, say, session};
use broker::types::{Booking, BookingId};
use ink::primitives::AccountId;
use p2pcloud_client::{
    events::{parse_account, ss58},
    node::NodeChain,
    sdk::{P2pCloud, Session},
    time_left::TimeLeft,
    units::parse_duration_ms,
    Error,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// The exit code of `watch --once` when it printed a warning.
pub const WARNED: i32 = 3;

/// What the last round saw of one account.
#[derive(Default)]
struct Seen {
    warned: bool,
    bookings: Option<BTreeSet<BookingId>>,
}

/// Watches until stopped; with `--once`, one round, answering whether it
/// warned.
pub async fn watch(
    global: &crate::args::Global,
    args: WatchArgs,
    out: &Output,
) -> Result<bool, String> {
    let warn_before = parse_duration_ms(&args.warn_before)?;
    let every = parse_duration_ms(&args.every)?;
    if every < 1_000 {
        return Err("--every is at least 1s".into());
    }
    let mut accounts = args
        .accounts
        .iter()
        .map(|text| parse_account(text))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen: BTreeMap<AccountId, Seen> = BTreeMap::new();
    loop {
        let round = async {
            let mut session = session(global).await?;
            if accounts.is_empty() {
                crate::needs_key(global)?;
                accounts.push(session.account());
            }
            watch_round(&mut session, &accounts, warn_before, &mut seen, out).await
        };
        match round.await {
            Ok(warned) if args.once => return Ok(warned),
            Ok(_) => {}
            Err(why) if args.once => return Err(why),
            Err(why) => eprintln!("p2pcloud: this round failed, trying again later: {why}"),
        }
        tokio::time::sleep(Duration::from_millis(every)).await;
    }
}

/// One look at every account: a warning for each that newly fell below the
/// margin (every one that is below, on the first round), and a line for each
/// booking that ended since the last round. Answers whether it warned.
async fn watch_round(
    session: &mut Session<NodeChain>,
    accounts: &[AccountId],
    warn_before: u64,
    seen: &mut BTreeMap<AccountId, Seen>,
    out: &Output,
) -> Result<bool, String> {
    let now = session.now().await.map_err(say)?;
    let mut warned = false;
    for account in accounts {
        let report = session.balance(*account).await.map_err(say)?;
        let left = TimeLeft::of(&report, now);
        let bookings: BTreeSet<BookingId> = session
            .user_bookings(*account)
            .await
            .map_err(say)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let state = seen.entry(*account).or_default();
        for ended in state
            .bookings
            .iter()
            .flat_map(|before| before.difference(&bookings))
        {
            out.record(&json!({ "account": ss58(account), "booking_ended": ended }));
        }
        state.bookings = Some(bookings);
        let below = left.below(warn_before);
        if below && !state.warned {
            warned = true;
            out.record(&json!({
                "account": ss58(account),
                "warning": left.to_string(),
                "runs_out_at": left.runs_out_at(),
            }));
        } else if !below && state.warned {
            out.record(&json!({ "account": ss58(account), "paid_again": left.to_string() }));
        }
        state.warned = below;
    }
    Ok(warned)
}

/// The time left of each user of `bookings`, for miners who want to know
/// which users are about to stop paying.
pub async fn users_time_left(
    session: &mut Session<NodeChain>,
    bookings: &[(BookingId, Booking)],
    now: u64,
) -> Result<BTreeMap<AccountId, TimeLeft>, Error> {
    let mut left = BTreeMap::new();
    for (_, booking) in bookings {
        if let std::collections::btree_map::Entry::Vacant(entry) = left.entry(booking.user) {
            let report = session.balance(booking.user).await?;
            entry.insert(TimeLeft::of(&report, now));
        }
    }
    Ok(left)
}
