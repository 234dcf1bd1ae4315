//! A user books a VM: the cheapest offer with a free machine, after
//! depositing what a week of it needs.
//!
//! ```sh
//! cargo run -p p2pcloud-client --example book_vm -- [NODE_URL] [DEPLOYMENT]
//! ```
//!
//! Charlie (a dev account) books; on a test chain whose stablecoin is
//! psp22-mock, Charlie gets some first with
//! `p2pcloud --suri //Charlie token mint 1000`.
mod common;

use broker::types::WEEK_SECONDS;
use common::{connect, Failure};
use p2pcloud_client::{chain::dev, domain::TokenAmount, sdk::P2pCloud};

/// How long the deposit's margin lets every booking run before this one
/// lands: an hour, far more than a block takes.
const MARGIN_SECONDS: u128 = 3_600;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let mut charlie = connect(dev::charlie()).await?;
    let me = charlie.account();

    // Every offer with a free machine, of any VM type, read page by page.
    let offers = charlie.available_offers(None).await?;
    let Some((offer_id, offer)) = offers
        .into_iter()
        .min_by_key(|(_, offer)| offer.price_per_second)
    else {
        return Err(
            "no offer has a free machine: a miner adds one with `p2pcloud offer add`".into(),
        );
    };

    // The broker books only while the balance covers what the user owes
    // plus a week of all their bookings, this one included: what is free
    // must cover a week of this one, and the margin what every booking
    // accrues until the booking lands (the running ones owe more by then).
    let report = charlie.balance(me).await?;
    let per_second = report.locked / WEEK_SECONDS + offer.price_per_second;
    let needed = offer.price_per_second * WEEK_SECONDS + per_second * MARGIN_SECONDS;
    if report.free < needed {
        // The SDK approves the broker for the amount only once the
        // deposit's own checks pass, so a refused deposit leaves no
        // allowance behind.
        charlie.deposit(needed - report.free).await?;
    }

    // The offer's price is the most Charlie pays: if the miner raises it
    // meanwhile, the booking is refused rather than paid at the new price.
    let booked = charlie.book(offer_id, offer.price_per_second).await?;
    let token = charlie.token().await?;
    let price = TokenAmount::new(offer.price_per_second, token.decimals);
    println!(
        "booking {}: a machine of offer {offer_id} at {price} {} per second",
        booked.value, token.symbol
    );
    Ok(())
}
