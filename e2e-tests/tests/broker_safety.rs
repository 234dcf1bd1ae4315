//! The broker's money rules on the embedded chain, each against the attack
//! or the bad sequence it stops: a price raised before a booking lands, a
//! user who runs short paying miners by claim order, a migration blocked by
//! dust, self-booked reports, a report pre-empted by the miner's own stop,
//! fees and offers across a stablecoin change, pages that skip, storage never
//! given back, and amounts past the bounds.
use broker::{
    events::{BookingReported, BookingStopped, MinerPayout, Withdrawn},
    types::{
        BPS_DENOMINATOR, DEFAULT_FEE_BPS, MAX_PRICE_PER_SECOND, MAX_TOTAL_DEPOSITS, REPORT_WINDOW,
        WEEK_SECONDS,
    },
    BrokerError, StopReason,
};
use community::{
    events::FeeBookOpened,
    types::{Action, BrokerCall},
};
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, withdraw_free, Failure, OrFail},
    workflow::pass_proposal,
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    chain::{account_of, contract_calls, Chain},
    domain::{decode, find, Emitted},
};
use psp22::{PSP22Mintable, PSP22};
use psp22_mock::{Psp22Mock, Psp22MockRef};
use std::collections::BTreeMap;

const DAY_MS: u64 = 86_400_000;

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
    check_eq(
        topics.len(),
        3,
        "the report's topics: signature, user, miner",
    )?;
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

/// Every `MinerPayout` and `Withdrawn` among `events`, summed per account:
/// what users were charged, what miners and the community earned, and what
/// the migration paid back.
#[derive(Default)]
struct Flows {
    charged: BTreeMap<AccountId, u128>,
    earned: BTreeMap<AccountId, u128>,
    fees: u128,
    paid_back: BTreeMap<AccountId, u128>,
}

impl Flows {
    fn add(&mut self, events: &[Emitted]) {
        for event in events {
            if let Some(payout) = decode::<MinerPayout>(event) {
                *self.charged.entry(payout.user).or_default() += payout.amount + payout.fee;
                *self.earned.entry(payout.miner).or_default() += payout.amount;
                self.fees += payout.fee;
            }
            if let Some(withdrawn) = decode::<Withdrawn>(event) {
                *self.paid_back.entry(withdrawn.account).or_default() += withdrawn.amount;
            }
        }
    }
}

#[tokio::test]
async fn a_dust_deposit_cannot_block_a_migration_and_every_unit_goes_to_its_owner(
) -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let cast = market.cast.clone();
    let eve_offer = market.add_offer(&cast.eve, 2 * PRICE, 1).await?;
    let funded = [
        (&cast.charlie, 2 * PRICE * WEEK_SECONDS + 12_345),
        (&cast.dave, 3 * PRICE * WEEK_SECONDS),
        (&cast.ferdie, 1),
    ];
    for (user, amount) in funded {
        market.fund(user, amount).await?;
    }
    let charlie_booking = market.book(&cast.charlie).await?;
    market.book(&cast.dave).await?;
    market.book_offer(&cast.dave, eve_offer, 2 * PRICE).await?;
    let mut flows = Flows::default();
    let Market {
        chain,
        token,
        protocol,
        ..
    } = &mut market;
    chain.pass_time(DAY_MS).await?;
    let claim = chain
        .call(&cast.bob, &protocol.broker.claim_payment(charlie_booking))
        .await?;
    claim.value.or_fail("claim_payment")?;
    flows.add(&claim.events);
    chain.pass_time(DAY_MS).await?;

    // The community votes to move to a second stablecoin.
    let mut new_ctor = Psp22MockRef::new(0, Some("Mock USD 2".into()), Some("mUSD2".into()), 6);
    let new_token_id = chain
        .instantiate("psp22-mock", &cast.alice, &mut new_ctor)
        .await?
        .value;
    let old_token_id = chain
        .query(&cast.alice, &protocol.broker.get_stablecoin_address())
        .await?;
    let action = Action::Broker(BrokerCall::SetStablecoin(new_token_id));
    pass_proposal(chain, &mut protocol.community, &cast.alice, action).await?;
    let broker = &mut protocol.broker;
    check_eq(
        chain.query(&cast.alice, &broker.get_migration()).await?,
        Some(new_token_id),
        "the migration under way",
    )?;
    check_eq(
        chain
            .call(&cast.ferdie, &broker.deposit_coin(1))
            .await?
            .value,
        Err(BrokerError::MigrationInProgress),
        "a deposit during the migration",
    )?;
    check_eq(
        chain
            .call(&cast.ferdie, &broker.book_vm(eve_offer, u128::MAX))
            .await?
            .value,
        Err(BrokerError::MigrationInProgress),
        "a booking during the migration",
    )?;

    // Anyone drives it, two items a step, to its end.
    let mut steps = 0;
    while chain
        .query(&cast.ferdie, &broker.get_migration())
        .await?
        .is_some()
    {
        let step = chain.call(&cast.ferdie, &broker.migrate(2)).await?;
        step.value.or_fail("migrate")?;
        flows.add(&step.events);
        steps += 1;
        check(steps <= 10, "the migration ends in a few steps")?;
    }
    check_eq(
        chain
            .query(&cast.alice, &broker.get_stablecoin_address())
            .await?,
        new_token_id,
        "the broker's stablecoin",
    )?;

    // Every unit of the old token is with its owner: users hold what they
    // funded less what they were charged, miners what they earned, the
    // community its fees, the broker nothing.
    let old_token = contract_calls::<Psp22Mock>(old_token_id);
    for (user, amount) in funded {
        let id = account_of(user);
        let charged = flows.charged.get(&id).copied().unwrap_or(0);
        check_eq(
            chain.query(user, &old_token.balance_of(id)).await?,
            amount - charged,
            "a user's old tokens",
        )?;
    }
    for miner in [&cast.bob, &cast.eve] {
        let id = account_of(miner);
        let earned = flows.earned.get(&id).copied().unwrap_or(0);
        check(earned > 0, "each miner earned")?;
        check_eq(
            chain.query(miner, &old_token.balance_of(id)).await?,
            earned,
            "a miner's old tokens",
        )?;
    }
    check_eq(
        chain
            .query(&cast.alice, &old_token.balance_of(protocol.community_id))
            .await?,
        flows.fees,
        "the community's old tokens",
    )?;
    check_eq(
        chain
            .query(&cast.alice, &old_token.balance_of(protocol.broker_id))
            .await?,
        0,
        "old tokens left in the broker",
    )?;
    check_eq(
        flows.paid_back.get(&account_of(&cast.ferdie)).copied(),
        Some(1),
        "Ferdie's dust, paid back",
    )?;
    // No offer outlives the old token: miners price anew in the new one.
    check_eq(
        chain
            .query(&cast.alice, &broker.get_offer(eve_offer))
            .await?,
        None,
        "Eve's offer, priced in the old token",
    )?;
    // The community shares the fees the migration paid it in the old
    // token's book, opens one in the new token, and its members are paid
    // in the old token.
    let collect = chain
        .call(&cast.ferdie, &protocol.community.collect_fees())
        .await?;
    collect.value.or_fail("collect_fees after the migration")?;
    let (opened, _) = find::<FeeBookOpened>(&collect.events).ok_or("no FeeBookOpened")?;
    check_eq(opened.token, new_token_id, "the new book's token")?;
    for member in [&cast.alice, &cast.eve] {
        chain
            .call(member, &protocol.community.claim_closed_share(0))
            .await?
            .value
            .or_fail("claim_closed_share")?;
    }
    let left = chain
        .query(&cast.alice, &old_token.balance_of(protocol.community_id))
        .await?;
    check(
        left <= 2,
        format!("old tokens left in the community: {left}"),
    )?;

    // The new token works from the first deposit on.
    let mut new_token = contract_calls::<Psp22Mock>(new_token_id);
    chain
        .call(&cast.ferdie, &new_token.mint(500))
        .await?
        .value
        .or_fail("mint")?;
    chain
        .call(&cast.ferdie, &new_token.approve(protocol.broker_id, 500))
        .await?
        .value
        .or_fail("approve")?;
    chain
        .call(&cast.ferdie, &broker.deposit_coin(500))
        .await?
        .value
        .or_fail("deposit in the new token")?;
    check_eq(
        chain
            .query(&cast.alice, &new_token.balance_of(protocol.broker_id))
            .await?,
        500,
        "new tokens held by the broker",
    )?;
    check_eq(
        chain
            .query(&cast.alice, &token.balance_of(protocol.broker_id))
            .await?,
        0,
        "old tokens held by the broker",
    )
}

#[tokio::test]
async fn after_a_full_lifecycle_the_storage_deposit_is_back_where_it_started() -> Result<(), Failure>
{
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
    let start = market.chain.storage_usage(broker_id)?;
    let start_deposit = market.chain.storage_deposit(broker_id);

    market
        .fund(&cast.charlie, PRICE * WEEK_SECONDS + 5_000)
        .await?;
    let offer = market.add_offer(&cast.bob, PRICE, 1).await?;
    let booking = market.book_offer(&cast.charlie, offer, PRICE).await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
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
    check(busy_items > start.1, "the live market stores more items")?;
    check(busy_bytes > start.0, "the live market stores more bytes")?;
    check(
        chain.storage_deposit(broker_id) > start_deposit,
        "the live market holds more storage deposit",
    )?;
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
        .or_fail("clear the miner URL")?;
    check_eq(
        chain.storage_usage(broker_id)?,
        start,
        "the bytes and items the broker stores",
    )?;
    // pallet-contracts refunds pro rata and rounds each refund down, so the
    // deposit may keep a unit per message that freed storage (here six).
    let kept = chain.storage_deposit(broker_id) - start_deposit;
    check(
        kept <= 6,
        format!("storage deposit kept by refund rounding: {kept}"),
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
