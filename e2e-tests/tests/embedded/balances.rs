//! A user's balance over days: the 7-day lock on bookings and withdrawals, a
//! booking ended for non-payment, and a second account keeping a booking
//! alive.
use super::DAY_MS;
use broker::{
    events::{BookingStopped, DepositedFor, MinerPayout},
    types::{BalanceReport, BookingId, WEEK_SECONDS},
    BrokerError, StopReason,
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, BrokerCalls, Failure, OrFail},
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    chain::{account_of, Chain},
    domain::{decode, find},
    embedded::EmbeddedChain,
    sdk::{P2pCloud, Session},
    Error,
};
use psp22::PSP22;

const DAY_SECONDS: u128 = 86_400;

/// `(free, locked)` of `account`.
async fn free_locked(
    chain: &mut EmbeddedChain,
    broker: &BrokerCalls,
    account: AccountId,
) -> Result<(u128, u128), Failure> {
    let report = balance_report(chain, broker, account).await?;
    Ok((report.free, report.locked))
}

#[tokio::test]
async fn the_seven_day_lock_holds_all_bookings_and_withdrawals() -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    // Given Charlie's booking, which takes a whole week of balance
    let booking = a_booking_takes_a_week_and_not_a_unit_less(&mut market).await?;
    // and locks it all,
    the_week_is_locked_from_withdrawals_and_bookings(&mut market).await?;
    // when a day later the miner is paid for the day,
    the_miner_is_paid_a_day_under_the_lock(&mut market, booking).await?;
    // then only a top-up beyond the lock is free.
    only_a_top_up_beyond_the_lock_is_free(&mut market).await
}

/// One unit short of a week: no booking; with the unit, Charlie books.
async fn a_booking_takes_a_week_and_not_a_unit_less(
    market: &mut Market,
) -> Result<BookingId, Failure> {
    let charlie = market.cast.charlie.clone();
    market.fund(&charlie, PRICE * WEEK_SECONDS - 1).await?;
    let Market {
        chain,
        protocol,
        offer,
        ..
    } = market;
    check_eq(
        chain
            .call(&charlie, &protocol.broker.book_vm(*offer, PRICE))
            .await?
            .value,
        Err(BrokerError::InsufficientBalance),
        "booking with a unit less than a week",
    )?;
    market.fund(&charlie, 1).await?;
    market.book(&charlie).await
}

/// The booked week is locked: nothing free to withdraw, nothing left for a
/// second booking.
async fn the_week_is_locked_from_withdrawals_and_bookings(
    market: &mut Market,
) -> Result<(), Failure> {
    let charlie = market.cast.charlie.clone();
    let Market {
        chain,
        protocol,
        offer,
        ..
    } = market;
    let broker = &mut protocol.broker;
    check_eq(
        free_locked(chain, broker, account_of(&charlie)).await?,
        (0, PRICE * WEEK_SECONDS),
        "a week locked, nothing free",
    )?;
    check_eq(
        chain.call(&charlie, &broker.withdraw_coin(1)).await?.value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing under the lock",
    )?;
    check_eq(
        chain
            .call(&charlie, &broker.book_vm(*offer, PRICE))
            .await?
            .value,
        Err(BrokerError::InsufficientBalance),
        "a second booking needs a week of both",
    )
}

/// A day later Bob claims the day; the six days left stay locked.
async fn the_miner_is_paid_a_day_under_the_lock(
    market: &mut Market,
    booking: BookingId,
) -> Result<(), Failure> {
    let (bob, charlie) = (market.cast.bob.clone(), market.cast.charlie.clone());
    let Market {
        chain, protocol, ..
    } = market;
    let broker = &mut protocol.broker;
    chain.pass_time(DAY_MS).await?;
    chain
        .call(&bob, &broker.claim_payment(booking))
        .await?
        .value
        .or_fail("claim")?;
    check_eq(
        free_locked(chain, broker, account_of(&charlie)).await?,
        (0, PRICE * WEEK_SECONDS),
        "six days of balance under a 7-day lock",
    )
}

/// Charlie tops up two days: the day beyond the lock is free, and not a
/// unit more.
async fn only_a_top_up_beyond_the_lock_is_free(market: &mut Market) -> Result<(), Failure> {
    let charlie = market.cast.charlie.clone();
    let charlie_id = account_of(&charlie);
    market.fund(&charlie, PRICE * DAY_SECONDS * 2).await?;
    let Market {
        chain,
        token,
        protocol,
        ..
    } = market;
    let broker = &mut protocol.broker;
    check_eq(
        free_locked(chain, broker, charlie_id).await?,
        (PRICE * DAY_SECONDS, PRICE * WEEK_SECONDS),
        "free beyond the lock after the top-up",
    )?;
    check_eq(
        chain
            .call(&charlie, &broker.withdraw_coin(PRICE * DAY_SECONDS + 1))
            .await?
            .value,
        Err(BrokerError::InsufficientFreeBalance),
        "withdrawing a unit more than is free",
    )?;
    chain
        .call(&charlie, &broker.withdraw_coin(PRICE * DAY_SECONDS))
        .await?
        .value
        .or_fail("withdraw")?;
    check_eq(
        chain.query(&charlie, &token.balance_of(charlie_id)).await?,
        PRICE * DAY_SECONDS,
        "Charlie's tokens",
    )
}

#[tokio::test]
async fn a_booking_ends_for_non_payment_when_the_balance_runs_out() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let (bob, charlie) = (market.cast.bob.clone(), market.cast.charlie.clone());
    market.fund(&charlie, PRICE * WEEK_SECONDS).await?;
    let booked_at = market.chain.now_ms();
    let booking = market.book(&charlie).await?;
    let Market {
        chain,
        token,
        protocol,
        offer,
        ..
    } = &mut market;
    let broker = &mut protocol.broker;

    // Eight days later the week's balance is long gone, and the broker says so.
    chain.pass_time(8 * DAY_MS).await?;
    let runs_out_at = booked_at + WEEK_SECONDS as u64 * 1_000;
    check_eq(
        balance_report(chain, broker, account_of(&charlie)).await?,
        BalanceReport {
            deposited: PRICE * WEEK_SECONDS,
            owed: PRICE * WEEK_SECONDS,
            locked: 0,
            free: 0,
            runs_out_at: Some(runs_out_at),
        },
        "Charlie's balance, run out",
    )?;
    let claim = chain.call(&bob, &broker.claim_payment(booking)).await?;
    claim.value.or_fail("claim")?;
    // A claim that ends the booking tells what it paid in the
    // `BookingStopped`, with no `MinerPayout` of its own.
    check(
        find::<MinerPayout>(&claim.events).is_none(),
        "no MinerPayout beside the BookingStopped",
    )?;
    let (stopped, _) = find::<BookingStopped>(&claim.events).ok_or("no BookingStopped")?;
    let payout = stopped.settlement().ok_or("the stop settled nothing")?;
    // Paid in full up to the moment the balance ran out, and no further.
    check_eq(payout.seconds, WEEK_SECONDS as u64, "seconds paid")?;
    check_eq(
        payout.amount + payout.fee,
        PRICE * WEEK_SECONDS,
        "the user paid their balance",
    )?;
    check_eq(stopped.reason, StopReason::NonPayment, "end reason")?;
    check_eq(
        (stopped.seconds_used, stopped.amount_paid),
        (WEEK_SECONDS as u64, PRICE * WEEK_SECONDS),
        "what the ended booking cost",
    )?;
    check_eq(
        chain.query(&bob, &broker.get_booking(booking)).await?,
        None,
        "the ended booking is deleted",
    )?;
    check_eq(
        free_locked(chain, broker, account_of(&charlie)).await?,
        (0, 0),
        "Charlie's balance after the booking ended",
    )?;
    // The machine is free again, and the broker holds exactly what it owes.
    let offer_now = chain
        .query(&bob, &broker.get_offer(*offer))
        .await?
        .ok_or("offer gone")?;
    check_eq(offer_now.booked, 0, "machines booked")?;
    let bob_free = free_locked(chain, broker, account_of(&bob)).await?.0;
    let fees = free_locked(chain, broker, protocol.community_id).await?.0;
    check_eq(
        bob_free + fees,
        PRICE * WEEK_SECONDS,
        "miner and community got everything",
    )?;
    check_eq(
        chain
            .query(&bob, &token.balance_of(protocol.broker_id))
            .await?,
        PRICE * WEEK_SECONDS,
        "tokens held by the broker",
    )
}

/// Through the SDK: Eve pays a week into Charlie's balance six days into his
/// booking; it runs past its old run-out, Eve holds nothing in the broker,
/// and once a balance ran out Eve's money is refused before any approval.
#[tokio::test]
async fn a_second_account_keeps_a_users_booking_alive_through_the_sdk() -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let (charlie, dave, eve) = (
        market.cast.charlie.clone(),
        market.cast.dave.clone(),
        market.cast.eve.clone(),
    );
    let week = PRICE * WEEK_SECONDS;
    market.fund(&charlie, week).await?;
    market.fund(&dave, week).await?;
    let booking = market.book(&charlie).await?;
    market.book(&dave).await?;
    let start = market.chain.now().await?;
    let old_run_out = start + WEEK_SECONDS as u64 * 1_000;
    market.chain.pass_time(6 * DAY_MS).await?;

    let mut eve_session = Session::new(market.chain, market.protocol, eve.clone());
    eve_session.mint(2 * week).await?;
    let sent = eve_session.deposit_for(account_of(&charlie), week).await?;
    let event = sent
        .events
        .iter()
        .find_map(decode::<DepositedFor>)
        .ok_or("the deposit emitted no DepositedFor")?;
    check_eq(
        (event.payer, event.account, event.amount),
        (account_of(&eve), account_of(&charlie), week),
        "who paid, for whom and how much",
    )?;
    let report = eve_session.balance(account_of(&charlie)).await?;
    check(
        report
            .runs_out_at
            .is_some_and(|at| at >= old_run_out + 6 * DAY_MS),
        format!("the run-out moved a week later: {:?}", report.runs_out_at),
    )?;
    check_eq(
        eve_session.balance(account_of(&eve)).await?.deposited,
        0,
        "Eve holds nothing in the broker",
    )?;

    // Past the old run-out Charlie's booking still runs; Dave's ran out.
    eve_session.chain.pass_time(2 * DAY_MS).await?;
    check(
        eve_session.booking(booking).await?.is_some(),
        "Charlie's booking runs past its old run-out",
    )?;
    let allowance = market
        .token
        .allowance(account_of(&eve), eve_session.protocol.broker_id);
    let allowance_before = eve_session.chain.query(&eve, &allowance).await?;
    let refused = eve_session.deposit_for(account_of(&dave), week).await;
    check(
        matches!(refused, Err(Error::Broker(BrokerError::BeneficiaryRanOut))),
        format!("funding a balance that ran out is refused: {refused:?}"),
    )?;
    check_eq(
        eve_session.chain.query(&eve, &allowance).await?,
        allowance_before,
        "a refused deposit approves nothing",
    )
}
