//! How bookings settle: a miner who ends a booking first cannot keep its
//! report off the chain, and a user who runs short pays every miner alike,
//! whoever claims first.
use super::DAY_MS;
use broker::{
    events::{BookingReported, BookingStopped},
    types::{BPS_DENOMINATOR, DEFAULT_FEE_BPS, WEEK_SECONDS},
    BrokerError, StopReason,
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, Failure, OrFail},
};
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::find,
};

#[tokio::test]
async fn a_miner_who_ends_a_booking_first_cannot_keep_its_report_off_the_chain(
) -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    market.fund(&cast.charlie, PRICE * WEEK_SECONDS).await?;
    let booking = market.book(&cast.charlie).await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    let broker = &mut protocol.broker;
    chain.pass_time(10_000).await?;
    // Bob sees Charlie's report coming and ends the booking first.
    let end = chain
        .call(
            &cast.bob,
            &broker.stop_booking(booking, StopReason::MinerTerminated),
        )
        .await?;
    end.value.or_fail("the miner's stop")?;
    let (stopped, _) = find::<BookingStopped>(&end.events).ok_or("no BookingStopped")?;
    check_eq(
        chain
            .call(
                &cast.charlie,
                &broker.stop_booking(booking, StopReason::MinerMisbehaviour),
            )
            .await?
            .value,
        Err(BrokerError::UnknownBooking),
        "Charlie's stop after Bob's",
    )?;
    // The report lands anyway, with what the booking ran and paid, once.
    chain.pass_time(DAY_MS).await?;
    let report = chain
        .call(&cast.charlie, &broker.report_ended_booking(booking))
        .await?;
    report.value.or_fail("report_ended_booking")?;
    let (reported, topics) = find::<BookingReported>(&report.events).ok_or("no BookingReported")?;
    check_eq(
        (reported.seconds_used, reported.amount_paid),
        (stopped.seconds_used, stopped.amount_paid),
        "the late report",
    )?;
    check(
        stopped.seconds_used >= 10,
        "the booking ran its ten seconds",
    )?;
    check_eq(topics.len(), 2, "the report's topics: signature, miner")?;
    check_eq(
        chain
            .call(&cast.charlie, &broker.report_ended_booking(booking))
            .await?
            .value,
        Err(BrokerError::NoReportableBooking),
        "a second report",
    )
}

/// Charlie books Bob (at `PRICE`) and Dave (at `3 * PRICE`) with a week and
/// ten seconds of both, then both miners claim a month later, in `order`, an
/// hour apart. Returns what Bob and Dave earned.
async fn miners_pay_when_short(bob_claims_first: bool) -> Result<(u128, u128), Failure> {
    let mut market = Market::open(1).await?;
    let (bob, charlie, dave) = (
        market.cast.bob.clone(),
        market.cast.charlie.clone(),
        market.cast.dave.clone(),
    );
    let dave_offer = market.add_offer(&dave, 3 * PRICE, 1).await?;
    market
        .fund(&charlie, 4 * PRICE * (WEEK_SECONDS + 10))
        .await?;
    let bob_booking = market.book(&charlie).await?;
    let dave_booking = market.book_offer(&charlie, dave_offer, 3 * PRICE).await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    let broker = &mut protocol.broker;
    chain.pass_time(30 * DAY_MS).await?;
    let mut claims = [(&bob, bob_booking), (&dave, dave_booking)];
    if !bob_claims_first {
        claims.reverse();
    }
    for (miner, booking) in claims {
        chain
            .call(miner, &broker.claim_payment(booking))
            .await?
            .value
            .or_fail("claim_payment")?;
        chain.pass_time(3_600_000).await?;
    }
    check_eq(
        balance_report(chain, broker, account_of(&charlie))
            .await?
            .deposited,
        0,
        "Charlie's balance, all paid out",
    )?;
    let bob_earned = balance_report(chain, broker, account_of(&bob)).await?.free;
    let dave_earned = balance_report(chain, broker, account_of(&dave)).await?.free;
    Ok((bob_earned, dave_earned))
}

#[tokio::test]
async fn a_user_who_runs_short_pays_every_miner_alike_whoever_claims_first() -> Result<(), Failure>
{
    let bob_first = miners_pay_when_short(true).await?;
    let dave_first = miners_pay_when_short(false).await?;
    check_eq(
        bob_first,
        dave_first,
        "what each miner earned in either order",
    )?;
    // Both paid up to the same moment: a week and ten seconds, less the 5% fee.
    let seconds = WEEK_SECONDS + 10;
    let after_fee =
        |charged: u128| charged - charged * u128::from(DEFAULT_FEE_BPS) / BPS_DENOMINATOR;
    check_eq(
        bob_first,
        (after_fee(PRICE * seconds), after_fee(3 * PRICE * seconds)),
        "Bob's and Dave's pay",
    )
}
