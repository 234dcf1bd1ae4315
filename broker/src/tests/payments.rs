//! What a booking pays (`bookings.rs`): accrual by the whole second, the
//! community's fee, and a balance that runs out.
use super::*;

#[test]
fn accrual_is_in_whole_seconds_and_never_paid_twice() {
    let (mut world, offer_id) = with_offer(7, 1);
    world.fund(user(), week_of(7) * 2);
    let booking_id = book(&mut world, user(), offer_id);
    let mut charged = 0;
    let mut seconds = 0;
    // Claims at uneven times: 1.5 s, 2.0 s, 2.0 s again, 4.999 s, 5.0 s.
    for at in [1_500, 2_000, 2_000, 4_999, 5_000] {
        world.now = START + at;
        let events = world
            .broker
            .claim_payment(miner(), booking_id, world.now)
            .unwrap();
        for payout in payouts(&events) {
            charged += payout.amount + payout.fee;
            seconds += payout.seconds;
        }
        let paid_to = world.broker.booking(booking_id).unwrap().last_payment;
        assert_eq!(paid_to, START + at / 1_000 * 1_000);
    }
    assert_eq!(seconds, 5);
    assert_eq!(charged, 35);
    assert_eq!(world.balance(user()), week_of(7) * 2 - 35);
}

#[test]
fn a_claim_with_nothing_accrued_pays_nothing_and_emits_nothing() {
    let (mut world, offer_id) = with_offer(7, 1);
    world.fund(user(), week_of(7));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 999;
    let events = world
        .broker
        .claim_payment(miner(), booking_id, world.now)
        .unwrap();
    assert!(events.is_empty());
    assert_eq!(world.balance(miner()), 0);
}

#[test]
fn the_fee_goes_to_the_community_rounded_down() {
    let (mut world, offer_id) = with_offer(1_999, 1);
    world.fund(user(), week_of(1_999));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 1_000;
    let events = world
        .broker
        .claim_payment(miner(), booking_id, world.now)
        .unwrap();
    // 5% of 1999 is 99.95: the community gets 99, the miner 1900.
    assert_eq!(
        payouts(&events),
        vec![MinerPayout {
            booking_id,
            miner: miner(),
            user: user(),
            amount: 1_900,
            fee: 99,
            seconds: 1,
        }]
    );
    assert_eq!(world.balance(community()), 99);
    assert_eq!(world.balance(miner()), 1_900);
    assert_eq!(free_locked(&world, miner()).0, 1_900);
}

#[test]
fn the_fee_of_a_booking_is_the_one_in_force_when_it_started() {
    let (mut world, offer_id) = with_offer(100, 2);
    world.fund(user(), week_of(200));
    let old = book(&mut world, user(), offer_id);
    world.broker.set_community_fee(community(), 2_000).unwrap();
    let new = book(&mut world, user(), offer_id);
    world.now += 1_000;
    let old_payout = world.broker.claim_payment(miner(), old, world.now).unwrap();
    let new_payout = world.broker.claim_payment(miner(), new, world.now).unwrap();
    assert_eq!(payouts(&old_payout)[0].fee, 5);
    assert_eq!(payouts(&new_payout)[0].fee, 20);
}

#[test]
fn a_user_who_cannot_pay_pays_up_to_when_the_balance_ran_out_and_the_booking_ends() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10) + 5);
    let booking_id = book(&mut world, user(), offer_id);
    let report = world.broker.check_balance(user(), world.now).unwrap();
    // 10/s for a week and half a second more: the balance covers it until then.
    let runs_out = START + WEEK_SECONDS as u64 * 1_000 + 500;
    assert_eq!(report.runs_out_at, Some(runs_out));
    // At that very moment it still covers them: a week stays locked, and a
    // claim then pays without ending the booking.
    world.now = runs_out;
    let report = world.broker.check_balance(user(), world.now).unwrap();
    assert_eq!((report.locked, report.free), (week_of(10), 0));
    let mut at_the_moment = world.clone();
    let events = at_the_moment
        .broker
        .claim_payment(miner(), booking_id, runs_out)
        .unwrap();
    assert!(
        stopped(&events).is_empty(),
        "ended at the last covered moment"
    );
    assert!(at_the_moment.broker.booking(booking_id).is_some());
    // A millisecond later it ran out: nothing more accrues, nothing is locked.
    world.now = runs_out + 1;
    assert_eq!(
        world
            .broker
            .check_balance(user(), world.now)
            .unwrap()
            .locked,
        0
    );
    world.now = START + (WEEK_SECONDS as u64 + 9) * 1_000;
    let report = world.broker.check_balance(user(), world.now).unwrap();
    assert_eq!(
        report,
        BalanceReport {
            deposited: week_of(10) + 5,
            owed: week_of(10) + 5,
            locked: 0,
            free: 0,
            runs_out_at: Some(runs_out),
        }
    );
    let events = world
        .broker
        .claim_payment(miner(), booking_id, world.now)
        .unwrap();
    let payout = &payouts(&events)[0];
    // Paid every whole second up to the moment the balance ran out, in full.
    assert_eq!(payout.seconds, WEEK_SECONDS as u64);
    assert_eq!(payout.amount + payout.fee, week_of(10));
    assert_eq!(stopped(&events)[0].reason, StopReason::NonPayment);
    // The half second's worth that paid no whole second stays with the user.
    assert_eq!(world.balance(user()), 5);
    assert_eq!(free_locked(&world, user()), (5, 0));
    assert_eq!(world.broker.booking(booking_id), None);
    assert_eq!(world.broker.offer(offer_id).unwrap().booked, 0);
    assert!(world
        .broker
        .user_bookings(user(), None, 10)
        .unwrap()
        .items
        .is_empty());
    assert!(world
        .broker
        .miner_bookings(miner(), None, 10)
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn a_user_who_runs_short_pays_every_miner_up_to_the_same_moment_whoever_claims_first() {
    // Two miners at 10/s and 30/s; the user's balance covers 40/s for a week
    // and ten seconds, then runs out for both at once.
    let mut world = World::new(START);
    let other_miner = account(4);
    let (slow, _) = world.broker.add_offer(miner(), 1, 10, 1, SPECS).unwrap();
    let (fast, _) = world
        .broker
        .add_offer(other_miner, 1, 30, 1, SPECS)
        .unwrap();
    world.fund(user(), week_of(40) + 400);
    let a = book(&mut world, user(), slow);
    let b = book(&mut world, user(), fast);
    world.now += 30 * 24 * 3_600_000;
    let seconds = WEEK_SECONDS + 10;
    for order in [[a, b], [b, a]] {
        let mut world = world.clone();
        for booking in order {
            let claimer = world.broker.booking(booking).unwrap().miner;
            world
                .broker
                .claim_payment(claimer, booking, world.now)
                .unwrap();
            world.now += 3_600_000;
        }
        let fee = |paid: Balance| paid * 5 / 100;
        assert_eq!(world.balance(miner()), 10 * seconds - fee(10 * seconds));
        assert_eq!(world.balance(other_miner), 30 * seconds - fee(30 * seconds));
        assert_eq!(world.balance(user()), 0);
    }
}

#[test]
fn money_arriving_after_the_balance_ran_out_does_not_revive_the_bookings() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += (WEEK_SECONDS as u64 + 100) * 1_000;
    // Deposited after it ran out: free to withdraw, not owed to the miner.
    world.fund(user(), 1_000);
    assert_eq!(free_locked(&world, user()), (1_000, 0));
    assert_refused(&mut world, BrokerError::BalanceRanOut, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    let events = world
        .broker
        .claim_payment(miner(), booking_id, world.now)
        .unwrap();
    assert_eq!(payouts(&events)[0].seconds, WEEK_SECONDS as u64);
    assert_eq!(world.balance(user()), 1_000);
    // Once its bookings ended the account books again, if it can pay a week.
    assert_refused(&mut world, BrokerError::InsufficientBalance, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    world.fund(user(), week_of(10));
    book(&mut world, user(), offer_id);
}

#[test]
fn only_the_booking_miner_claims() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 5_000;
    for caller in [user(), stranger(), community()] {
        assert_refused(&mut world, BrokerError::NotBookingMiner, |w| {
            w.broker.claim_payment(caller, booking_id, w.now)
        });
    }
}
