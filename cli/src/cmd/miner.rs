//! `p2pcloud miner run`: a miner's claim loop.
use super::rounds;
use crate::{context::Context, error::CliError};
use clap::{Args, Subcommand};
use p2pcloud_client::{
    chain::account_of,
    domain::{Duration, TokenAmount},
    history::payout_of,
    sdk::P2pCloud,
    time_left::users_time_left,
    Error,
};
use serde_json::json;

#[derive(Subcommand)]
pub enum MinerCommand {
    /// Claim every booking's payment now and then every --every, until stopped;
    /// a node that goes away is waited for.
    Run(MinerRun),
}

impl MinerCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        match self {
            Self::Run(command) => command.handle(ctx).await,
        }
    }
}

#[derive(Args)]
pub struct MinerRun {
    #[arg(long, default_value = "10m")]
    every: Duration,
    /// One round only.
    #[arg(long)]
    once: bool,
}

impl MinerRun {
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        ctx.needs_key()?;
        rounds::every(self.every, self.once, async || claim_round(ctx).await).await
    }
}

/// Claims every booking of the signer's as miner; a booking with nothing
/// accrued waits for the next round.
async fn claim_round(ctx: &Context) -> Result<(), CliError> {
    let (mut session, token) = ctx.market(false).await?;
    let miner = account_of(&ctx.signer()?);
    let bookings = session.miner_bookings(miner).await?;
    // Which users are about to stop paying, seen before the claims.
    let now = session.now().await?;
    let time_left = users_time_left(&mut session, &bookings, now).await?;
    let mut failed = 0;
    for (id, booking) in bookings {
        let user_time_left = time_left.get(&booking.user).map(ToString::to_string);
        match session.claim_payment(id).await {
            Ok(sent) => {
                let paid = payout_of(&sent.events);
                ctx.out.record(&json!({
                    "claimed_booking": id,
                    "paid": paid.as_ref().map(|payout| TokenAmount::new(payout.amount, token.decimals).to_string()),
                    "seconds": paid.as_ref().map(|payout| payout.seconds),
                    "symbol": token.symbol,
                    "user_time_left": user_time_left,
                }));
            }
            // Not a failure: the next round pays it.
            Err(Error::NothingAccrued) => eprintln!(
                "p2pcloud: booking {id}: {}; its user's balance {}",
                Error::NothingAccrued,
                user_time_left.as_deref().unwrap_or("is unknown")
            ),
            Err(error) => {
                failed += 1;
                eprintln!("p2pcloud: booking {id} not claimed: {error}");
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} claims failed").into());
    }
    Ok(())
}
