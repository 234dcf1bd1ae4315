//! The storage deposit: after a full lifecycle the broker stores what it did
//! at the start, and the deposit is back where it started.
use broker::{
    types::{BookingId, OfferId, REPORT_WINDOW, WEEK_SECONDS},
    StopReason,
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{check, check_eq, withdraw_free, Failure, OrFail},
};
use p2pcloud_client::chain::Chain;

/// What the broker stores, in bytes and items, and the deposit it holds for
/// that.
struct Storage {
    usage: (u32, u32),
    deposit: u128,
}

#[tokio::test]
async fn after_a_full_lifecycle_the_storage_deposit_is_back_where_it_started() -> Result<(), Failure>
{
    // Given a broker that holds no offer,
    let (mut market, start) = a_broker_without_offers().await?;
    // when a market lives in it
    let (offer, booking) = a_live_market_stores_more(&mut market, &start).await?;
    // and everything in it ends and is cleared,
    everything_ends_and_is_cleared(&mut market, offer, booking).await?;
    // then the broker stores what it did at the start.
    the_storage_is_back_where_it_started(&mut market, &start)
}

/// A fresh market whose first offer Bob removed, and what its broker stores.
async fn a_broker_without_offers() -> Result<(Market, Storage), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    let broker_id = market.protocol.broker_id;
    let first_offer = market.offer;
    market
        .chain
        .call(&cast.bob, &market.protocol.broker.remove_offer(first_offer))
        .await?
        .value
        .or_fail("remove_offer")?;
    let start = Storage {
        usage: market.chain.storage_usage(broker_id)?,
        deposit: market.chain.storage_deposit(broker_id),
    };
    Ok((market, start))
}

/// Charlie funds and books Bob's new offer, Bob publishes a URL, claims an
/// hour and closes the offer: the broker stores more, and holds more
/// deposit.
async fn a_live_market_stores_more(
    market: &mut Market,
    start: &Storage,
) -> Result<(OfferId, BookingId), Failure> {
    let cast = market.cast.clone();
    let broker_id = market.protocol.broker_id;
    market
        .fund(&cast.charlie, PRICE * WEEK_SECONDS + 5_000)
        .await?;
    let offer = market.add_offer(&cast.bob, PRICE, 1).await?;
    let booking = market.book_offer(&cast.charlie, offer, PRICE).await?;
    let Market {
        chain, protocol, ..
    } = market;
    let broker = &mut protocol.broker;
    chain
        .call(
            &cast.bob,
            &broker.set_miner_url("https://bob.example".into()),
        )
        .await?
        .value
        .or_fail("set_miner_url")?;
    chain.pass_time(3_600_000).await?;
    chain
        .call(&cast.bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim_payment")?;
    // Closed while booked; removed when its booking ends.
    chain
        .call(&cast.bob, &broker.remove_offer(offer))
        .await?
        .value
        .or_fail("close the offer")?;
    let (busy_bytes, busy_items) = chain.storage_usage(broker_id)?;
    check(
        busy_items > start.usage.1,
        "the live market stores more items",
    )?;
    check(
        busy_bytes > start.usage.0,
        "the live market stores more bytes",
    )?;
    check(
        chain.storage_deposit(broker_id) > start.deposit,
        "the live market holds more storage deposit",
    )?;
    Ok((offer, booking))
}

/// Bob ends the booking, its report window closes and it is forgotten,
/// everyone withdraws, the community collects and Bob clears his URL.
async fn everything_ends_and_is_cleared(
    market: &mut Market,
    offer: OfferId,
    booking: BookingId,
) -> Result<(), Failure> {
    let cast = market.cast.clone();
    let Market {
        chain, protocol, ..
    } = market;
    let broker = &mut protocol.broker;
    // Bob ends it: its user may still report it for a week.
    chain
        .call(
            &cast.bob,
            &broker.stop_booking(booking, StopReason::MinerTerminated),
        )
        .await?
        .value
        .or_fail("stop_booking")?;
    check_eq(
        chain.query(&cast.bob, &broker.get_offer(offer)).await?,
        None,
        "the closed offer, removed with its last booking",
    )?;
    // The ended booking's report record goes once its window closed.
    check(
        chain
            .query(&cast.bob, &broker.get_ended_booking(booking))
            .await?
            .is_some(),
        "the ended booking kept for a report",
    )?;
    chain.pass_time(REPORT_WINDOW + 1_000).await?;
    chain
        .call(&cast.alice, &broker.forget_ended_booking(booking))
        .await?
        .value
        .or_fail("forget_ended_booking")?;
    for who in [&cast.charlie, &cast.bob] {
        withdraw_free(chain, broker, who).await?;
    }
    chain
        .call(&cast.alice, &protocol.community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    chain
        .call(&cast.bob, &broker.set_miner_url(String::new()))
        .await?
        .value
        .or_fail("clear the miner URL")
}

/// The broker stores the bytes and items it did at the start, and holds
/// the deposit it did, but for refund rounding.
fn the_storage_is_back_where_it_started(
    market: &mut Market,
    start: &Storage,
) -> Result<(), Failure> {
    let broker_id = market.protocol.broker_id;
    check_eq(
        market.chain.storage_usage(broker_id)?,
        start.usage,
        "the bytes and items the broker stores",
    )?;
    // pallet-contracts refunds pro rata and rounds each refund down, so the
    // deposit may keep a unit per message that freed storage (here six).
    let kept = market.chain.storage_deposit(broker_id) - start.deposit;
    check(
        kept <= 6,
        format!("storage deposit kept by refund rounding: {kept}"),
    )
}
