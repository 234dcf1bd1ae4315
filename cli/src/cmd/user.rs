//! `p2pcloud user run`: keeps a balance's bookings paid for at least
//! `--keep` ahead by depositing from the signer's wallet, never more than
//! `--max-per-day` in any day, and says each round what it did or why it did
//! nothing. The deposits of the last day are kept in `--ledger`, so the cap
//! holds across runs (cron) and restarts.
use super::rounds;
use crate::{context::Context, error::CliError, error::NotDone, output::Output};
use clap::{Args, Subcommand};
use ink::primitives::AccountId;
use p2pcloud_client::{
    chain::account_of,
    domain::{ss58, Address, Amount, Duration, TokenAmount},
    node::NodeChain,
    sdk::{P2pCloud, Session, TokenInfo},
    time_left::{spoken_duration, top_up_needed, TimeLeft},
};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Keep the signer's balance (or --for ACCOUNT's) paying its bookings at
    /// least --keep ahead, depositing from the signer's wallet, at most
    /// --max-per-day in any day; every --every until stopped.
    Run(TopUpCommand),
}

impl UserCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        match self {
            Self::Run(command) => command.handle(ctx).await,
        }
    }
}

#[derive(Args)]
pub struct TopUpCommand {
    /// How far ahead the bookings must stay paid, such as 3d.
    #[arg(long)]
    keep: Duration,
    /// The most deposited in any day, in whole tokens.
    #[arg(long)]
    max_per_day: Amount,
    /// Keep another account's balance (deposit_for).
    #[arg(long = "for", value_name = "ACCOUNT")]
    beneficiary: Option<Address>,
    #[arg(long, default_value = "10m")]
    every: Duration,
    /// One round only.
    #[arg(long)]
    once: bool,
    /// Where the last day's deposits are kept, so the cap holds across runs.
    #[arg(long, default_value = "p2pcloud-top-ups.json")]
    ledger: PathBuf,
}

const DAY_MS: u64 = 86_400_000;

/// The deposits of the last day: (chain time in ms, amount in units).
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    deposits: Vec<(u64, u128)>,
}

impl Ledger {
    fn read(path: &Path) -> Result<Self, CliError> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                CliError::Refused(format!("{} is not a top-up ledger: {e}", path.display()))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(format!("cannot read {}: {error}", path.display()).into()),
        }
    }

    fn write(&self, path: &Path) -> Result<(), CliError> {
        let text = serde_json::to_string(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n")
            .map_err(|e| CliError::Refused(format!("{}: {e}", path.display())))
    }

    /// What was deposited in the day up to `now`; older entries are dropped.
    pub fn spent_in_day(&mut self, now: u64) -> u128 {
        let since = now.saturating_sub(DAY_MS);
        self.deposits.retain(|(at, _)| *at > since);
        self.deposits.iter().map(|(_, amount)| amount).sum()
    }

    pub fn record(&mut self, at: u64, amount: u128) {
        self.deposits.push((at, amount));
    }
}

/// Why a round deposits less than the margin needs, or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Deposit `amount`; `short` says why it is less than `needed`.
    Deposit {
        amount: u128,
        needed: u128,
        short: Option<&'static str>,
    },
    Nothing(String),
}

/// What one round should deposit, given the account's time left, what the
/// margin needs, what the cap leaves and what the wallet holds.
pub fn plan(left: TimeLeft, needed: u128, cap_left: u128, wallet: u128) -> Plan {
    match left {
        TimeLeft::NoBookings => return Plan::Nothing("no bookings to keep paid".into()),
        TimeLeft::Unbounded => return Plan::Nothing("paid for beyond any block time".into()),
        TimeLeft::RanOut { .. } => {
            return Plan::Nothing(format!(
                "the balance {left}: a deposit would not revive its bookings"
            ))
        }
        TimeLeft::Until { .. } if needed == 0 => {
            return Plan::Nothing(format!("paid for long enough: it {left}"))
        }
        TimeLeft::Until { .. } => {}
    }
    if cap_left == 0 {
        return Plan::Nothing("the daily cap is reached".into());
    }
    if wallet == 0 {
        return Plan::Nothing("the wallet is empty".into());
    }
    let amount = needed.min(cap_left).min(wallet);
    let short = if amount == needed {
        None
    } else if amount == cap_left {
        Some("the daily cap")
    } else {
        Some("what the wallet holds")
    };
    Plan::Deposit {
        amount,
        needed,
        short,
    }
}

impl TopUpCommand {
    /// Runs rounds every `--every` until stopped (`--once`: one round).
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let signer = account_of(&ctx.signer()?);
        let top_up = TopUp {
            signer,
            target: self.beneficiary.map_or(signer, |address| address.0),
            keep: self.keep.ms(),
            ledger: &self.ledger,
        };
        rounds::every(self.every, self.once, async || {
            let (mut session, token) = ctx.market(false).await?;
            let cap = self.max_per_day.in_units(token.decimals)?;
            top_up.round(&mut session, &token, cap, &ctx.out).await
        })
        .await
    }
}

/// Who pays, for whom, how far ahead and where the day's deposits are kept.
struct TopUp<'a> {
    signer: AccountId,
    target: AccountId,
    keep: u64,
    ledger: &'a Path,
}

impl TopUp<'_> {
    /// One look at the balance, and the deposit it needs within `cap`.
    async fn round(
        &self,
        session: &mut Session<NodeChain>,
        token: &TokenInfo,
        cap: u128,
        out: &Output,
    ) -> Result<(), CliError> {
        let (signer, target, keep, ledger_path) =
            (self.signer, self.target, self.keep, self.ledger);
        let now = session.now().await?;
        let report = session.balance(target).await?;
        let left = TimeLeft::of(&report, now);
        let mut ledger = Ledger::read(ledger_path)?;
        let cap_left = cap.saturating_sub(ledger.spent_in_day(now));
        let wallet = session.token_balance(signer).await?;
        let needed = top_up_needed(&report, now, keep);
        let money = |units| TokenAmount::new(units, token.decimals).to_string();
        let (amount, needed, short) = match plan(left, needed, cap_left, wallet) {
            Plan::Nothing(why) => {
                out.record(&json!({
                    "account": ss58(&target),
                    "deposited": "0",
                    "symbol": token.symbol,
                    "why": format!("nothing deposited: {why}"),
                }));
                return Ok(());
            }
            Plan::Deposit {
                amount,
                needed,
                short,
            } => (amount, needed, short),
        };
        if target == signer {
            session.deposit(amount).await
        } else {
            session.deposit_for(target, amount).await
        }
        .not_done("nothing deposited")?;
        ledger.record(now, amount);
        ledger.write(ledger_path)?;
        let after = session.balance(target).await?;
        let why = format!(
            "it {left}, less than {} ahead{}",
            spoken_duration(keep),
            short.map_or_else(String::new, |limit| format!(
                "; {} of the {} needed, limited by {limit}",
                money(amount),
                money(needed)
            ))
        );
        out.record(&json!({
            "account": ss58(&target),
            "deposited": money(amount),
            "symbol": token.symbol,
            "why": why,
            "time_left": TimeLeft::of(&after, now).to_string(),
        }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_796_083_200_000;

    fn until(left_ms: u64) -> TimeLeft {
        TimeLeft::Until {
            at: NOW + left_ms,
            left_ms,
        }
    }

    #[test]
    fn a_round_deposits_what_the_margin_needs_within_the_cap_and_the_wallet() {
        let plain = plan(until(DAY_MS), 500, 1_000, 10_000);
        assert_eq!(
            plain,
            Plan::Deposit {
                amount: 500,
                needed: 500,
                short: None
            }
        );
        let capped = plan(until(DAY_MS), 500, 200, 10_000);
        assert_eq!(
            capped,
            Plan::Deposit {
                amount: 200,
                needed: 500,
                short: Some("the daily cap")
            }
        );
        let poor = plan(until(DAY_MS), 500, 1_000, 70);
        assert_eq!(
            poor,
            Plan::Deposit {
                amount: 70,
                needed: 500,
                short: Some("what the wallet holds")
            }
        );
    }

    #[test]
    fn a_round_says_why_it_deposits_nothing() {
        let why = |plan: Plan| match plan {
            Plan::Nothing(why) => why,
            other => panic!("deposited: {other:?}"),
        };
        assert_eq!(
            why(plan(until(DAY_MS), 500, 0, 10)),
            "the daily cap is reached"
        );
        assert_eq!(why(plan(until(DAY_MS), 500, 10, 0)), "the wallet is empty");
        assert_eq!(
            why(plan(TimeLeft::NoBookings, 0, 10, 10)),
            "no bookings to keep paid"
        );
        assert!(why(plan(TimeLeft::RanOut { at: NOW - 1 }, 0, 10, 10))
            .contains("a deposit would not revive its bookings"));
        assert!(why(plan(until(DAY_MS), 0, 10, 10))
            .starts_with("paid for long enough: it runs out in 1 day"));
    }

    #[test]
    fn the_ledger_counts_only_the_last_day() {
        let mut ledger = Ledger::default();
        ledger.record(NOW - DAY_MS, 5);
        ledger.record(NOW - DAY_MS + 1, 7);
        ledger.record(NOW, 11);
        assert_eq!(ledger.spent_in_day(NOW), 18);
        // A deposit exactly a day old no longer counts.
        assert_eq!(ledger.spent_in_day(NOW + DAY_MS - 1), 11);
        assert_eq!(ledger.spent_in_day(NOW + DAY_MS), 0);
    }
}
