//! A miner claims what each of its bookings accrued.
//!
//! ```sh
//! cargo run -p p2pcloud-client --example claim_as_miner -- [NODE_URL] [DEPLOYMENT]
//! ```
//!
//! Bob (a dev account) is the miner.
mod common;

use broker::events::BookingStopped;
use common::{connect, Failure};
use p2pcloud_client::{
    chain::dev,
    domain::{find, TokenAmount},
    history::payout_of,
    sdk::P2pCloud,
    Error,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let mut bob = connect(dev::bob()).await?;
    let me = bob.account();
    let token = bob.token().await?;
    let amount = |units| {
        format!(
            "{} {}",
            TokenAmount::new(units, token.decimals),
            token.symbol
        )
    };

    let bookings = bob.miner_bookings(me).await?;
    if bookings.is_empty() {
        println!("Bob's machines have no bookings");
    }
    for (booking_id, _) in bookings {
        let claimed = match bob.claim_payment(booking_id).await {
            Ok(claimed) => claimed,
            // Less than a second since the last payment: the SDK does not
            // send a claim that would pay nothing.
            Err(Error::NothingAccrued) => {
                println!("booking {booking_id}: nothing accrued yet");
                continue;
            }
            Err(other) => return Err(other.into()),
        };
        // What the claim paid is in its events (a `MinerPayout`, or the
        // `BookingStopped` of a claim that ended the booking): the miner's
        // part, after the community's fee.
        if let Some(payout) = payout_of(&claimed.events) {
            println!(
                "booking {booking_id}: {} s paid, {} to Bob, {} to the community",
                payout.seconds,
                amount(payout.amount),
                amount(payout.fee)
            );
        }
        // A claim also ends a booking whose user's balance ran out.
        if find::<BookingStopped>(&claimed.events).is_some() {
            println!("booking {booking_id}: ended, its user's balance ran out");
        }
    }
    Ok(())
}
