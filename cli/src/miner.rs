//! `p2pcloud miner run`: a miner's claim loop.
use crate::{args::Global, output::Output, say, session, signer};
use p2pcloud_client::units::format_amount;
use p2pcloud_client::{chain::account_of, sdk::P2pCloud, Error};
use serde_json::json;
use std::time::Duration;

/// Claims every booking of the signer's as miner, every `every_ms`; a node
/// that goes away is reconnected to on the next round.
pub async fn miner_run(
    global: &Global,
    every_ms: u64,
    once: bool,
    out: &Output,
) -> Result<(), String> {
    loop {
        match miner_round(global, out).await {
            Ok(()) => {}
            Err(why) if once => return Err(why),
            Err(why) => eprintln!("p2pcloud: this round failed, trying again later: {why}"),
        }
        if once {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(every_ms)).await;
    }
}

pub async fn miner_round(global: &Global, out: &Output) -> Result<(), String> {
    let mut session = session(global).await?;
    let token = session.token().await.map_err(say)?;
    let miner = account_of(&signer(global)?);
    let bookings = session.miner_bookings(miner).await.map_err(say)?;
    // Which users are about to stop paying, seen before the claims.
    let now = session.now().await.map_err(say)?;
    let time_left = crate::watch::users_time_left(&mut session, &bookings, now)
        .await
        .map_err(say)?;
    let mut failed = 0;
    for (id, booking) in bookings {
        let user_time_left = time_left.get(&booking.user).map(ToString::to_string);
        match session.claim_payment(id).await {
            Ok(sent) => {
                let paid = sent
                    .events
                    .iter()
                    .find_map(p2pcloud_client::events::decode::<broker::events::MinerPayout>);
                out.record(&json!({
                    "claimed_booking": id,
                    "paid": paid.as_ref().map(|payout| format_amount(payout.amount, token.decimals)),
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
        return Err(format!("{failed} claims failed"));
    }
    Ok(())
}
