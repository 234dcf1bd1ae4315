//! Offers: a raised price is never booked, nobody books or reports their own
//! offer, a page goes on past an offer that left and came back, and prices
//! and deposits past their bounds are refused.
use broker::{
    events::BookingReported,
    types::{MAX_PRICE_PER_SECOND, MAX_TOTAL_DEPOSITS, WEEK_SECONDS},
    BrokerError, StopReason,
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{balance_report, check_eq, Failure, OrFail},
};
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::find,
};
use psp22::{PSP22Mintable, PSP22};

#[tokio::test]
async fn a_raised_price_is_never_booked_and_nobody_books_or_reports_their_own_offer(
) -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let (bob, charlie) = (market.cast.bob.clone(), market.cast.charlie.clone());
    market.fund(&charlie, 2 * PRICE * WEEK_SECONDS).await?;
    market.fund(&bob, 2 * PRICE * WEEK_SECONDS).await?;
    let Market {
        chain,
        protocol,
        offer,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;

    // Bob doubles his price just before Charlie's booking lands.
    chain
        .call(&bob, &broker.update_offer(*offer, 2 * PRICE, 2))
        .await?
        .value
        .or_fail("update_offer")?;
    let before = balance_report(chain, broker, account_of(&charlie)).await?;
    check_eq(
        chain
            .call(&charlie, &broker.book_vm(*offer, PRICE))
            .await?
            .value,
        Err(BrokerError::PriceAboveLimit),
        "booking above the price Charlie accepts",
    )?;
    check_eq(
        balance_report(chain, broker, account_of(&charlie)).await?,
        before,
        "Charlie's balance after the refusal",
    )?;
    check_eq(
        chain
            .call(&bob, &broker.book_vm(*offer, 2 * PRICE))
            .await?
            .value,
        Err(BrokerError::OwnOffer),
        "Bob booking his own offer",
    )?;
    let offer_now = chain.query(&bob, &broker.get_offer(*offer)).await?;
    check_eq(offer_now.map(|o| o.booked), Some(0), "machines booked")?;

    // A report in the block the booking started carries that it cost nothing.
    let booking = market.book_offer(&charlie, market.offer, 2 * PRICE).await?;
    let broker = &mut market.protocol.broker;
    let stop = market
        .chain
        .call(
            &charlie,
            &broker.stop_booking(booking, StopReason::MinerMisbehaviour),
        )
        .await?;
    stop.value.or_fail("stop_booking")?;
    let (report, _) = find::<BookingReported>(&stop.events).ok_or("no BookingReported")?;
    check_eq(
        (report.seconds_used, report.amount_paid),
        (0, 0),
        "what the reported booking cost",
    )
}

#[tokio::test]
async fn a_page_goes_on_past_an_offer_that_left_and_came_back() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    let second = market.add_offer(&cast.bob, PRICE, 1).await?;
    let third = market.add_offer(&cast.bob, PRICE, 1).await?;
    market.fund(&cast.charlie, PRICE * WEEK_SECONDS).await?;
    let mut broker = market.protocol.broker.clone();
    let first_page = market
        .chain
        .query(
            &cast.charlie,
            &broker.get_available_offers(Some(1), None, 1),
        )
        .await?
        .or_fail("page")?;
    check_eq(
        first_page.next,
        Some(second),
        "the cursor after the first page",
    )?;

    // The cursor's offer fills up and frees again before the next page.
    let booking = market.book_offer(&cast.charlie, second, PRICE).await?;
    market
        .chain
        .call(&cast.charlie, &broker.stop_booking(booking, StopReason::Ok))
        .await?
        .value
        .or_fail("stop_booking")?;
    let mut seen: Vec<u64> = first_page.items.iter().map(|(id, _)| *id).collect();
    let mut cursor = first_page.next;
    while let Some(next) = cursor {
        let page = market
            .chain
            .query(
                &cast.charlie,
                &broker.get_available_offers(Some(1), Some(next), 1),
            )
            .await?
            .or_fail("page")?;
        seen.extend(page.items.iter().map(|(id, _)| *id));
        cursor = page.next;
    }
    check_eq(seen, vec![market.offer, second, third], "every offer, once")
}

#[tokio::test]
async fn prices_and_deposits_past_their_bounds_are_refused() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let (bob, ferdie) = (market.cast.bob.clone(), market.cast.ferdie.clone());
    let Market {
        chain,
        token,
        protocol,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;
    check_eq(
        chain
            .call(
                &bob,
                &broker.add_offer(1, MAX_PRICE_PER_SECOND + 1, 1, [0; 32]),
            )
            .await?
            .value,
        Err(BrokerError::PriceTooHigh),
        "a price over 2^80 per second",
    )?;
    let too_much = MAX_TOTAL_DEPOSITS + 1;
    chain
        .call(&ferdie, &token.mint(too_much))
        .await?
        .value
        .or_fail("mint")?;
    chain
        .call(&ferdie, &token.approve(protocol.broker_id, too_much))
        .await?
        .value
        .or_fail("approve")?;
    check_eq(
        chain
            .call(&ferdie, &broker.deposit_coin(too_much))
            .await?
            .value,
        Err(BrokerError::DepositCapReached),
        "a deposit over 2^110",
    )?;
    check_eq(
        chain
            .query(&ferdie, &token.balance_of(account_of(&ferdie)))
            .await?,
        too_much,
        "Ferdie's tokens, untouched",
    )
}
