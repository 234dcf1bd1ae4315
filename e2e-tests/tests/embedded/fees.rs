//! The community's fees: a booking keeps the fee it started with across a fee
//! change, fees that arrived before a member joined are not theirs, and
//! anyone pays out the shares of members who never claim.
use super::DAY_MS;
use broker::{
    events::MinerPayout,
    types::{BPS_DENOMINATOR, WEEK_SECONDS},
};
use community::types::Action;
use e2e_tests::{
    market::{Market, PRICE},
    protocol::{balance_report, check, check_eq, Failure, OrFail},
    workflow::{pass_proposal, propose_fee_change, Cast, VOTING_PERIOD_MS},
};
use p2pcloud_client::{
    chain::{account_of, Chain, Keypair},
    domain::find,
};
use psp22::PSP22;

#[tokio::test]
async fn a_booking_keeps_the_fee_it_started_with() -> Result<(), Failure> {
    let mut market = Market::open(2).await?;
    let Cast {
        alice,
        bob,
        charlie,
        dave,
        ..
    } = Cast::default();
    market.fund(&charlie, PRICE * WEEK_SECONDS).await?;
    market.fund(&dave, PRICE * WEEK_SECONDS).await?;
    let before = market.book(&charlie).await?;

    // The community lowers the fee from 5% to 1%.
    let Market {
        chain, protocol, ..
    } = &mut market;
    let proposal = propose_fee_change(chain, &mut protocol.community, &alice, 100).await?;
    chain.pass_time(VOTING_PERIOD_MS + 1).await?;
    chain
        .call(&alice, &protocol.community.execute(proposal))
        .await?
        .value
        .or_fail("execute")?;
    let after = market.book(&dave).await?;

    let Market {
        chain, protocol, ..
    } = &mut market;
    chain.pass_time(DAY_MS).await?;
    let mut fees = Vec::new();
    for booking in [before, after] {
        let claim = chain
            .call(&bob, &protocol.broker.claim_payment(booking))
            .await?;
        claim.value.or_fail("claim")?;
        let (payout, _) = find::<MinerPayout>(&claim.events).ok_or("no MinerPayout")?;
        let charged = payout.amount + payout.fee;
        fees.push((payout.fee * BPS_DENOMINATOR / charged, payout.seconds));
    }
    check_eq(fees[0].0, 500, "fee of the booking made at 5%")?;
    check_eq(fees[1].0, 100, "fee of the booking made at 1%")?;
    check(fees[0].1 > fees[1].1, "the older booking ran longer")
}

#[tokio::test]
async fn fees_that_arrived_before_a_member_joined_are_not_theirs() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    market.earn_an_hour_of_fees().await?;
    let Market {
        chain, protocol, ..
    } = &mut market;
    // An hour of fees waits in the broker while Alice (3) and Eve (1) govern.
    let fees = balance_report(chain, &protocol.broker, protocol.community_id)
        .await?
        .free;
    check_eq(fees, PRICE * 3_600 * 5 / 100, "the fees waiting")?;
    let join = Action::AddMember {
        account: account_of(&cast.dave),
        weight: 4,
    };
    pass_proposal(chain, &mut protocol.community, &cast.alice, join).await?;
    let community = &protocol.community;
    let claimable = |who: &Keypair| community.get_claimable(account_of(who));
    check_eq(
        chain.query(&cast.dave, &claimable(&cast.dave)).await?,
        0,
        "Dave's share of fees from before he joined",
    )?;
    check_eq(
        (
            chain.query(&cast.alice, &claimable(&cast.alice)).await?,
            chain.query(&cast.eve, &claimable(&cast.eve)).await?,
        ),
        (fees * 3 / 4, fees / 4),
        "Alice's and Eve's shares",
    )
}

#[tokio::test]
async fn anyone_pays_out_the_shares_of_members_who_never_claim() -> Result<(), Failure> {
    let mut market = Market::open(1).await?;
    let cast = market.cast.clone();
    market.earn_an_hour_of_fees().await?;
    let Market {
        chain,
        protocol,
        token,
        ..
    } = &mut market;
    let community = &mut protocol.community;
    chain
        .call(&cast.ferdie, &community.collect_fees())
        .await?
        .value
        .or_fail("collect_fees")?;
    let fees = PRICE * 3_600 * 5 / 100;
    // Ferdie, no member, pays Alice (weight 3) and Eve (1) in two batches.
    let first = chain
        .call(&cast.ferdie, &community.pay_out_shares(0, 1))
        .await?;
    check_eq(first.value, Ok(1), "the next record after the first batch")?;
    let second = chain
        .call(&cast.ferdie, &community.pay_out_shares(1, 16))
        .await?;
    check_eq(second.value, Ok(2), "the end of the records")?;
    check_eq(
        (
            chain
                .query(&cast.alice, &token.balance_of(account_of(&cast.alice)))
                .await?,
            chain
                .query(&cast.eve, &token.balance_of(account_of(&cast.eve)))
                .await?,
            chain
                .query(&cast.eve, &token.balance_of(protocol.community_id))
                .await?,
        ),
        (fees * 3 / 4, fees / 4, 0),
        "Alice's and Eve's tokens, and what the community still holds",
    )
}
