//! The SDK's sessions on the embedded chain, no node needed: what an
//! operation checks before it sends anything, what a simulation leaves
//! behind, where the ids it returns come from, and what the history
//! readers read back.
mod support;

use broker::{
    events::{BookingStarted, Deposited, MinerPayout, OfferAdded},
    BrokerError,
};
use community::{
    events::ProposalCreated,
    types::{Action, BrokerCall},
};
use p2pcloud_client::{
    chain::{account_of, dev, Chain},
    domain::{find, Balance, EventKind, StopReason},
    history::{Filter, FilterError},
    sdk::{P2pCloud, Session},
    Error,
};
use psp22::PSP22Error;
use support::market::{allowance, deployed, donate, market, miner_part, signed_by, A_WEEK, PRICE};
use support::raced::Raced;

#[tokio::test]
async fn a_refused_deposit_leaves_no_allowance_and_moves_no_token() -> Result<(), Error> {
    // Given Charlie holds 5 mUSD and nothing in the broker.
    let mut charlie = signed_by(deployed().await?, dev::charlie());
    let me = charlie.account();
    charlie.mint(5_000_000).await?;

    // When Charlie deposits more than that, and then nothing.
    let more_than_held = charlie.deposit(5_000_001).await;
    let nothing = charlie.deposit(0).await;

    // Then the SDK's balance check and the broker's own refuse them before
    // any approval: no allowance is left and no token moved.
    assert_eq!(
        more_than_held.unwrap_err(),
        Error::Token(PSP22Error::InsufficientBalance)
    );
    assert_eq!(nothing.unwrap_err(), Error::Broker(BrokerError::ZeroAmount));
    assert_eq!(allowance(&mut charlie, me).await?, 0);
    assert_eq!(charlie.token_balance(me).await?, 5_000_000);
    assert_eq!(charlie.balance(me).await?.deposited, 0);

    // And a deposit Charlie can pay is approved, moved and uses the
    // approval up.
    let deposited = charlie.deposit(5_000_000).await?;
    let (event, _) = find::<Deposited>(&deposited.events).expect("the deposit emitted Deposited");
    assert_eq!((event.account, event.amount), (me, 5_000_000));
    assert_eq!(allowance(&mut charlie, me).await?, 0);
    assert_eq!(charlie.token_balance(me).await?, 0);
    assert_eq!(charlie.balance(me).await?.deposited, 5_000_000);
    Ok(())
}

#[tokio::test]
async fn a_simulated_booking_the_balance_cannot_cover_reports_the_refusal() -> Result<(), Error> {
    // Given Charlie deposited a day less than a week of Bob's price.
    let (charlie, offer) = market(1, A_WEEK - PRICE * 86_400).await?;
    let me = charlie.account();
    let mut charlie = charlie.simulate(true);
    let blocks = charlie.chain.finalized_block().await?;
    let balance = charlie.balance(me).await?;

    // When Charlie simulates booking Bob's offer.
    let refused = charlie.book(offer, PRICE).await;

    // Then the broker's refusal comes back by name, and nothing changed.
    assert_eq!(
        refused.unwrap_err(),
        Error::Broker(BrokerError::InsufficientBalance)
    );
    assert_eq!(charlie.chain.finalized_block().await?, blocks);
    assert_eq!(charlie.balance(me).await?, balance);
    assert_eq!(
        charlie.offer(offer).await?.map(|offer| offer.booked),
        Some(0)
    );
    Ok(())
}

#[tokio::test]
async fn a_simulation_answers_what_would_happen_and_changes_nothing() -> Result<(), Error> {
    // Given Charlie deposited a week of Bob's price and holds 5 mUSD more.
    let (mut charlie, offer) = market(1, A_WEEK).await?;
    let me = charlie.account();
    charlie.mint(5_000_000).await?;
    let mut charlie = charlie.simulate(true);
    let blocks = charlie.chain.finalized_block().await?;

    // When Charlie simulates booking Bob's offer and depositing the 5 mUSD.
    let booked = charlie.book(offer, PRICE).await?;
    let deposited = charlie.deposit(5_000_000).await?;

    // Then the booking's id is answered from the dry run, with no events,
    // and neither the booking nor the deposit's approval happened.
    assert!(booked.events.is_empty() && deposited.events.is_empty());
    assert_eq!(charlie.chain.finalized_block().await?, blocks);
    assert_eq!(charlie.user_bookings(me).await?, Vec::new());
    assert_eq!(allowance(&mut charlie, me).await?, 0);
    assert_eq!(charlie.token_balance(me).await?, 5_000_000);

    // And the id is the one the booking gets once submitted.
    let mut charlie = charlie.simulate(false);
    assert_eq!(charlie.book(offer, PRICE).await?.value, booked.value);
    Ok(())
}

#[tokio::test]
async fn a_claim_with_less_than_a_second_accrued_is_refused_before_it_is_sent() -> Result<(), Error>
{
    // Given Charlie booked Bob's offer just now.
    let (mut charlie, offer) = market(1, A_WEEK).await?;
    let booking = charlie.book(offer, PRICE).await?.value;
    let mut bob = signed_by(charlie, dev::bob());
    let miner = bob.account();
    let blocks = bob.chain.finalized_block().await?;

    // When Bob claims at once, and again 999 ms later.
    let at_once = bob.claim_payment(booking).await;
    bob.chain.pass_time(999).await?;
    let almost = bob.claim_payment(booking).await;

    // Then both are refused as paying nothing, and neither was sent.
    assert_eq!(at_once.unwrap_err(), Error::NothingAccrued);
    assert_eq!(almost.unwrap_err(), Error::NothingAccrued);
    assert_eq!(bob.chain.finalized_block().await?, blocks);
    assert_eq!(bob.balance(miner).await?.deposited, 0);

    // And a millisecond later the claim pays the second that accrued.
    bob.chain.pass_time(1).await?;
    let claimed = bob.claim_payment(booking).await?;
    let fee_bps = bob.community_fee_bps().await?;
    let (payout, _) = find::<MinerPayout>(&claimed.events).expect("the claim paid");
    assert_eq!((payout.seconds, payout.amount), (1, miner_part(1, fee_bps)));
    assert_eq!(bob.balance(miner).await?.deposited, miner_part(1, fee_bps));
    assert_eq!(
        bob.claim_payment(booking + 1).await.unwrap_err(),
        Error::Broker(BrokerError::UnknownBooking)
    );
    Ok(())
}

#[tokio::test]
async fn an_offers_id_is_read_from_its_offer_added_event() -> Result<(), Error> {
    // Given a chain where another offer lands between each dry run and its
    // submission.
    let deployed = deployed().await?;
    let mut bob = Session::new(Raced(deployed.chain), deployed.protocol, dev::bob());

    // When Bob adds an offer.
    let added = bob.add_offer(1, PRICE, 1, [7; 32]).await?;

    // Then its id is the one `OfferAdded` names: the later of Bob's two
    // offers, not the one the dry run saw.
    let (event, _) = find::<OfferAdded>(&added.events).expect("the offer emitted OfferAdded");
    let offers = bob.miner_offers(bob.account()).await?;
    let newest = offers.iter().map(|(id, _)| *id).max();
    assert_eq!(offers.len(), 2);
    assert_eq!(added.value, event.offer_id);
    assert_eq!(Some(added.value), newest);
    Ok(())
}

#[tokio::test]
async fn a_bookings_id_is_read_from_its_booking_started_event() -> Result<(), Error> {
    // Given Charlie can pay two bookings of Bob's two machines, on a chain
    // where another booking lands between each dry run and its submission.
    let (market, offer) = market(2, 2 * A_WEEK).await?;
    let mut charlie = Session::new(Raced(market.chain), market.protocol, dev::charlie());

    // When Charlie books.
    let booked = charlie.book(offer, PRICE).await?;

    // Then its id is the one `BookingStarted` names: the later booking.
    let (event, _) =
        find::<BookingStarted>(&booked.events).expect("the booking emitted BookingStarted");
    let bookings = charlie.user_bookings(charlie.account()).await?;
    let newest = bookings.iter().map(|(id, _)| *id).max();
    assert_eq!(bookings.len(), 2);
    assert_eq!(booked.value, event.booking_id);
    assert_eq!(Some(booked.value), newest);
    Ok(())
}

#[tokio::test]
async fn a_withdrawal_up_to_a_limit_says_what_it_sent_not_what_its_dry_run_saw() -> Result<(), Error>
{
    // Given Charlie holds a week of Bob's price in the broker, booked nothing.
    let (mut charlie, _) = market(1, A_WEEK).await?;
    let me = charlie.account();

    // When Charlie withdraws up to half of it, then all that is left on a
    // chain where a copy of each submission lands first.
    let half = charlie.withdraw_up_to(A_WEEK / 2).await?;
    let mut charlie = Session::new(Raced(charlie.chain), charlie.protocol, dev::charlie());
    let rest = charlie.withdraw_up_to(Balance::MAX).await?;

    // Then the first sent half; the second sent nothing, since the copy took
    // the rest first, though its dry run saw the rest free.
    assert_eq!(half.value.amount, A_WEEK / 2);
    assert_eq!(rest.value.amount, 0);
    assert_eq!(charlie.token_balance(me).await?, A_WEEK);

    // And with nothing free, a withdrawal is refused before it is sent.
    let blocks = charlie.chain.finalized_block().await?;
    assert_eq!(
        charlie.withdraw_up_to(Balance::MAX).await.unwrap_err(),
        Error::NothingFree
    );
    assert_eq!(charlie.chain.finalized_block().await?, blocks);
    Ok(())
}

#[tokio::test]
async fn a_proposals_id_is_read_from_its_proposal_created_event() -> Result<(), Error> {
    // Given a chain where another proposal lands between each dry run and
    // its submission.
    let deployed = deployed().await?;
    let mut alice = Session::new(Raced(deployed.chain), deployed.protocol, dev::alice());

    // When Alice proposes a fee of 3%.
    let action = Action::Broker(BrokerCall::SetCommunityFee(300));
    let proposed = alice.propose(action.clone(), "a fee of 3%".into()).await?;

    // Then its id is the one `ProposalCreated` names: the later proposal.
    let (event, _) =
        find::<ProposalCreated>(&proposed.events).expect("the proposal emitted ProposalCreated");
    assert_eq!(proposed.value, event.proposal_id);
    let (proposal, _) = alice
        .proposal(proposed.value)
        .await?
        .expect("the proposal exists");
    assert_eq!(proposal.action, action);
    assert!(alice.proposal(proposed.value - 1).await?.is_some());
    assert!(alice.proposal(proposed.value + 1).await?.is_none());
    Ok(())
}

#[tokio::test]
async fn the_history_readers_read_back_complaints_and_payments() -> Result<(), Error> {
    // Given Charlie booked Bob's offer, Bob claimed its first minute and
    // Charlie stopped it half a minute later, reporting Bob.
    let (mut charlie, offer) = market(1, A_WEEK).await?;
    let (user, miner) = (charlie.account(), account_of(&dev::bob()));
    let booking = charlie.book(offer, PRICE).await?.value;
    charlie.chain.pass_time(60_000).await?;
    let mut bob = signed_by(charlie, dev::bob());
    bob.claim_payment(booking).await?;
    bob.chain.pass_time(30_000).await?;
    let mut charlie = signed_by(bob, dev::charlie());
    charlie.stop(booking, StopReason::MinerMisbehaviour).await?;
    let reported_at = charlie.now().await?;
    let fee_bps = charlie.community_fee_bps().await?;

    // When the complaints about Bob and the payments for Charlie are read.
    let about_bob = Filter {
        miner: Some(miner),
        ..Filter::default()
    };
    let for_charlie = Filter {
        user: Some(user),
        ..Filter::default()
    };
    let complaints = charlie.complaints(&about_bob).await?;
    let payments = charlie.payments(&for_charlie).await?;

    // Then the one report reads back with what the whole booking ran and
    // paid, and each payout with its seconds and the miner's part.
    let read_complaints: Vec<_> = complaints
        .iter()
        .map(|c| {
            (
                c.kind,
                c.booking_id,
                c.user,
                c.miner,
                c.reason,
                c.seconds,
                c.amount,
            )
        })
        .collect();
    let reason = Some(StopReason::MinerMisbehaviour);
    let complaint = (
        EventKind::Complaint,
        booking,
        user,
        miner,
        reason,
        90,
        90 * PRICE,
    );
    assert_eq!(read_complaints, vec![complaint]);
    assert_eq!(complaints[0].position.block_time, reported_at);
    let read_payments: Vec<_> = payments
        .iter()
        .map(|p| (p.kind, p.booking_id, p.miner, p.seconds, p.amount))
        .collect();
    let paid = |seconds| {
        (
            EventKind::Payment,
            booking,
            miner,
            seconds,
            miner_part(seconds, fee_bps),
        )
    };
    // The claim is a payment; the stop's own settlement is in the stop.
    assert_eq!(read_payments, vec![paid(60)]);
    let stops = Filter {
        kind: Some(EventKind::Stop),
        ..for_charlie.clone()
    };
    let stop = &charlie.broker_events(&stops).await?[0];
    assert_eq!(
        (stop.paid_seconds, stop.paid_amount),
        (30, miner_part(30, fee_bps))
    );
    let everything = charlie.broker_events(&for_charlie).await?;
    assert_eq!(
        everything.iter().map(|r| r.paid_amount).sum::<u128>(),
        miner_part(60, fee_bps) + miner_part(30, fee_bps),
        "every second Bob served is paid once"
    );

    // And a filter narrows them: no complaint about Alice, none before the
    // report's block, and payments have no reason to narrow by.
    let about_alice = Filter {
        miner: Some(account_of(&dev::alice())),
        ..Filter::default()
    };
    assert_eq!(charlie.complaints(&about_alice).await?, Vec::new());
    let before_the_report = Filter {
        to_block: Some(complaints[0].position.block_number - 1),
        ..about_bob
    };
    assert_eq!(charlie.complaints(&before_the_report).await?, Vec::new());
    let with_a_reason = Filter {
        reason: Some(StopReason::Ok),
        ..for_charlie
    };
    assert_eq!(
        charlie.payments(&with_a_reason).await.unwrap_err(),
        Error::Filter(FilterError::ReasonOfPayments)
    );
    Ok(())
}

#[tokio::test]
async fn a_share_claim_shares_unshared_tokens_first_and_says_what_it_paid() -> Result<(), Error> {
    // Given Charlie ran Bob's VM for a minute, Bob claimed, the community
    // (Alice its only member) collected the fee, and then Bob sent the
    // community 5 units outside any message.
    let (mut charlie, offer) = market(1, A_WEEK).await?;
    let booking = charlie.book(offer, PRICE).await?.value;
    charlie.chain.pass_time(60_000).await?;
    let mut bob = signed_by(charlie, dev::bob());
    bob.claim_payment(booking).await?;
    let mut alice = signed_by(bob, dev::alice());
    alice.collect_fees().await?;
    let me = alice.account();
    let share = alice.claimable(me).await?;
    let community = alice.protocol.community_id;
    let mut bob = signed_by(alice, dev::bob());
    donate(&mut bob, &dev::bob(), community, 5).await?;
    let mut alice = signed_by(bob, dev::alice());
    let held = alice.token_balance(me).await?;

    // When Alice claims her share.
    let claimed = alice.claim_share().await?;

    // Then, the claim being refused while the community held tokens it had
    // not shared, `share_surplus` shared them first, and the claim answers
    // what reached her: her share and the 5.
    assert!(share > 0);
    assert_eq!(claimed.value, share + 5);
    assert_eq!(alice.token_balance(me).await?, held + share + 5);
    assert_eq!(alice.claimable(me).await?, 0);
    assert_eq!(alice.token_balance(community).await?, 0);
    Ok(())
}
