//! `p2pcloud watch`: follows accounts' balances and bookings, warns before a
//! balance runs out and says when a booking ends. Built for cron (`--once`,
//! exit code 3 after a warning) and for a systemd unit (runs until stopped,
//! waits out a node that goes away, one line per event).
use super::rounds;
use crate::{context::Context, error::CliError, output::Output};
use broker::types::BookingId;
use clap::Args;
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{ss58, Address, Duration},
    node::NodeChain,
    sdk::{P2pCloud, Session},
    time_left::TimeLeft,
};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The exit code of `watch --once` when it printed a warning.
const WARNED: i32 = 3;

/// What the last round saw of one account.
#[derive(Default)]
struct Seen {
    warned: bool,
    bookings: Option<BTreeSet<BookingId>>,
}

#[derive(Args)]
pub struct WatchCommand {
    /// The accounts to watch (default: the signer's).
    accounts: Vec<Address>,
    /// Warn when an account's bookings are paid for less than this ahead.
    #[arg(long, default_value = "1d")]
    warn_before: Duration,
    #[arg(long, default_value = "1m")]
    every: Duration,
    /// One round: print what is due and exit (3 if it warned).
    #[arg(long)]
    once: bool,
}

impl WatchCommand {
    /// Watches until stopped; with `--once`, one round, whose exit code says
    /// whether it warned.
    pub async fn handle(&self, ctx: &Context) -> Result<i32, CliError> {
        let mut accounts: Vec<AccountId> = self.accounts.iter().map(|address| address.0).collect();
        let mut seen: BTreeMap<AccountId, Seen> = BTreeMap::new();
        let warned = rounds::every(self.every, self.once, async || {
            let mut session = ctx.session().await?;
            if accounts.is_empty() {
                ctx.needs_key()?;
                accounts.push(session.account());
            }
            let warn_before = self.warn_before.ms();
            watch_round(&mut session, &accounts, warn_before, &mut seen, &ctx.out).await
        })
        .await?;
        Ok(if warned { WARNED } else { 0 })
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
) -> Result<bool, CliError> {
    let now = session.now().await?;
    let mut warned = false;
    for account in accounts {
        let report = session.balance(*account).await?;
        let left = TimeLeft::of(&report, now);
        let bookings: BTreeSet<BookingId> = session
            .user_bookings(*account)
            .await?
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
