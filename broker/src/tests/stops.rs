//! How a booking ends (`bookings.rs`): who may stop it with which reason,
//! what a stop settles, and the report a stop for misbehaviour emits.
use super::*;

#[test]
fn who_may_stop_with_which_reason() {
    use StopReason::*;
    let allowed = |reason: StopReason, caller: AccountId| match reason {
        Ok | MinerMisbehaviour => caller == user(),
        MinerTerminated => caller == miner(),
        NonPayment => false,
        CommunityTerminated => caller == community(),
    };
    let expected_error = |reason: StopReason| match reason {
        Ok | MinerMisbehaviour => BrokerError::NotBookingUser,
        MinerTerminated => BrokerError::NotBookingMiner,
        NonPayment => BrokerError::ReasonReserved,
        CommunityTerminated => BrokerError::NotCommunity,
    };
    for reason in [
        Ok,
        MinerMisbehaviour,
        MinerTerminated,
        NonPayment,
        CommunityTerminated,
    ] {
        for caller in [user(), miner(), community(), stranger()] {
            let (mut world, offer_id) = with_offer(10, 1);
            world.fund(user(), week_of(10));
            let booking_id = book(&mut world, user(), offer_id);
            world.now += 2_000;
            if allowed(reason, caller) {
                let events = world
                    .broker
                    .stop_booking(caller, booking_id, reason, world.now)
                    .unwrap();
                assert_eq!(stopped(&events)[0].reason, reason);
                assert_eq!(payouts(&events)[0].seconds, 2);
            } else {
                assert_refused(&mut world, expected_error(reason), |w| {
                    w.broker.stop_booking(caller, booking_id, reason, w.now)
                });
            }
        }
    }
}

#[test]
fn stopping_settles_frees_the_machine_and_the_lock() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 3_500;
    let events = world
        .broker
        .stop_booking(user(), booking_id, StopReason::Ok, world.now)
        .unwrap();
    assert_eq!(
        stopped(&events),
        vec![&BookingStopped {
            booking_id,
            user: user(),
            miner: miner(),
            reason: StopReason::Ok,
            seconds_used: 3,
            amount_paid: 30,
            // 5% of 30 is 1.5: the community gets 1, the miner 29.
            settled_amount: 29,
            settled_fee: 1,
            settled_seconds: 3,
        }]
    );
    assert!(
        !events.iter().any(|e| matches!(
            e,
            BrokerEvent::BookingReported(_) | BrokerEvent::MinerPayout(_)
        )),
        "the stop's settlement is told in BookingStopped alone"
    );
    assert_eq!(world.balance(miner()), 29);
    assert_eq!(free_locked(&world, user()), (week_of(10) - 30, 0));
    assert_eq!(world.broker.offer(offer_id).unwrap().booked, 0);
    // Ended bookings are deleted: their events tell what happened.
    assert_eq!(world.broker.booking(booking_id), None);
    assert_refused(&mut world, BrokerError::UnknownBooking, |w| {
        w.broker
            .stop_booking(user(), booking_id, StopReason::Ok, w.now)
    });
    assert_refused(&mut world, BrokerError::UnknownBooking, |w| {
        w.broker.claim_payment(miner(), booking_id, w.now)
    });
}

#[test]
fn reporting_the_miner_emits_booking_reported() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 61_000;
    let events = world
        .broker
        .stop_booking(user(), booking_id, StopReason::MinerMisbehaviour, world.now)
        .unwrap();
    let report = events
        .iter()
        .find_map(|e| match e {
            BrokerEvent::BookingReported(r) => Some(r.clone()),
            _ => None,
        })
        .expect("BookingReported");
    assert_eq!(
        report,
        BookingReported {
            booking_id,
            user: user(),
            miner: miner(),
            vm_type_id: 1,
            price_per_second: 10,
            seconds_used: 61,
            amount_paid: 610,
        }
    );
}

#[test]
fn a_report_in_the_block_the_booking_started_shows_it_cost_nothing() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 999;
    let events = world
        .broker
        .stop_booking(user(), booking_id, StopReason::MinerMisbehaviour, world.now)
        .unwrap();
    let report = events.iter().find_map(|e| match e {
        BrokerEvent::BookingReported(r) => Some(r),
        _ => None,
    });
    assert_eq!(
        report.map(|r| (r.seconds_used, r.amount_paid)),
        Some((0, 0))
    );
}

#[test]
fn only_a_stop_reporting_the_miner_emits_a_report() {
    use StopReason::*;
    for (reason, caller) in [
        (Ok, user()),
        (MinerTerminated, miner()),
        (CommunityTerminated, community()),
    ] {
        let (mut world, offer_id) = with_offer(10, 1);
        world.fund(user(), week_of(10));
        let booking_id = book(&mut world, user(), offer_id);
        world.now += 5_000;
        let events = world
            .broker
            .stop_booking(caller, booking_id, reason, world.now)
            .unwrap();
        assert_eq!(stopped(&events)[0].reason, reason);
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, BrokerEvent::BookingReported(_))),
            "{reason:?} reported the miner"
        );
    }
}

#[test]
fn a_stop_after_the_balance_ran_out_ends_for_non_payment_and_still_reports() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += 8 * 24 * 3_600_000;
    let events = world
        .broker
        .stop_booking(user(), booking_id, StopReason::MinerMisbehaviour, world.now)
        .unwrap();
    assert_eq!(stopped(&events)[0].reason, StopReason::NonPayment);
    assert!(events
        .iter()
        .any(|e| matches!(e, BrokerEvent::BookingReported(_))));
}
