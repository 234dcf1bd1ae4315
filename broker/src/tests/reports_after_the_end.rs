//! A user can report a booking for `REPORT_WINDOW` after it ended, whoever
//! ended it: a miner who sees the report coming cannot keep it off the chain
//! by ending the booking first (second audit, finding 2).
use super::*;

fn reports(events: &Events) -> Vec<&BookingReported> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::BookingReported(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// A booking of `user()` on a 10-per-second offer with a week funded, after
/// it ran `ms` milliseconds.
fn ran_for(ms: u64) -> (World, BookingId) {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    world.now += ms;
    (world, booking_id)
}

/// A booking of `user()` on a 10-per-second offer that ran 61 seconds and
/// was then ended by its miner.
fn ended_by_the_miner() -> (World, BookingId) {
    let (mut world, booking_id) = ran_for(61_000);
    world
        .broker
        .stop_booking(miner(), booking_id, StopReason::MinerTerminated, world.now)
        .unwrap();
    (world, booking_id)
}

#[test]
fn a_miner_who_ends_the_booking_first_cannot_keep_the_report_off_the_chain() {
    let (mut world, booking_id) = ended_by_the_miner();
    // The user's stop, sent in the same block, finds the booking gone ...
    assert_refused(&mut world, BrokerError::UnknownBooking, |w| {
        w.broker
            .stop_booking(user(), booking_id, StopReason::MinerMisbehaviour, w.now)
    });
    // ... and the report still lands, with what the booking ran and paid.
    world.now += 3_600_000;
    let events = world
        .broker
        .report_ended_booking(user(), booking_id, world.now)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::BookingReported(BookingReported {
            booking_id,
            user: user(),
            miner: miner(),
            vm_type_id: 1,
            price_per_second: 10,
            seconds_used: 61,
            amount_paid: 610,
        })]
    );
    // Once: the record is gone with the report.
    assert_refused(&mut world, BrokerError::NoReportableBooking, |w| {
        w.broker.report_ended_booking(user(), booking_id, w.now)
    });
    assert_eq!(world.broker.ended_booking(booking_id), None);
}

#[test]
fn every_end_by_someone_else_can_be_reported_by_its_user_only() {
    use StopReason::*;
    for (reason, caller) in [
        (MinerTerminated, miner()),
        (CommunityTerminated, community()),
    ] {
        let (mut world, booking_id) = ran_for(5_000);
        world
            .broker
            .stop_booking(caller, booking_id, reason, world.now)
            .unwrap();
        for stranger in [miner(), stranger(), community()] {
            assert_refused(&mut world, BrokerError::NotBookingUser, |w| {
                w.broker.report_ended_booking(stranger, booking_id, w.now)
            });
        }
        let events = world
            .broker
            .report_ended_booking(user(), booking_id, world.now)
            .unwrap();
        assert_eq!(reports(&events)[0].seconds_used, 5, "{reason:?}");
    }
}

#[test]
fn ends_for_non_payment_and_by_a_migration_can_be_reported_too() {
    // Non-payment, found by the miner's claim.
    let (mut world, booking_id) = ran_for(8 * 24 * 3_600_000);
    world
        .broker
        .claim_payment(miner(), booking_id, world.now)
        .unwrap();
    let events = world
        .broker
        .report_ended_booking(user(), booking_id, world.now)
        .unwrap();
    assert_eq!(reports(&events)[0].amount_paid, week_of(10));

    // A stablecoin migration.
    let (mut world, booking_id) = ran_for(2_000);
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    world.migrate(1).unwrap();
    let events = world
        .broker
        .report_ended_booking(user(), booking_id, world.now)
        .unwrap();
    assert_eq!(reports(&events)[0].amount_paid, 20);
}

#[test]
fn a_user_who_stops_without_a_report_leaves_nothing_to_report() {
    let (mut world, booking_id) = ran_for(5_000);
    let items = world.broker.stored_items();
    world
        .broker
        .stop_booking(user(), booking_id, StopReason::Ok, world.now)
        .unwrap();
    assert!(world.broker.stored_items() < items);
    assert_refused(&mut world, BrokerError::NoReportableBooking, |w| {
        w.broker.report_ended_booking(user(), booking_id, w.now)
    });
}

#[test]
fn a_stop_that_reports_leaves_nothing_to_report_again() {
    let (mut world, booking_id) = ran_for(5_000);
    let events = world
        .broker
        .stop_booking(user(), booking_id, StopReason::MinerMisbehaviour, world.now)
        .unwrap();
    assert_eq!(reports(&events).len(), 1);
    assert_refused(&mut world, BrokerError::NoReportableBooking, |w| {
        w.broker.report_ended_booking(user(), booking_id, w.now)
    });
}

#[test]
fn the_window_closes_and_then_anyone_may_delete_the_record() {
    let (mut world, booking_id) = ended_by_the_miner();
    let ended_at = world.now;
    // Inside the window (its last millisecond included) only a report deletes it.
    world.now = ended_at + REPORT_WINDOW;
    assert_refused(&mut world, BrokerError::ReportWindowOpen, |w| {
        w.broker.forget_ended_booking(booking_id, w.now)
    });
    world.now += 1;
    assert_refused(&mut world, BrokerError::ReportWindowClosed, |w| {
        w.broker.report_ended_booking(user(), booking_id, w.now)
    });
    let items = world.broker.stored_items();
    let events = world
        .broker
        .forget_ended_booking(booking_id, world.now)
        .unwrap();
    assert!(events.is_empty());
    assert_eq!(world.broker.stored_items(), items - 1);
    assert_refused(&mut world, BrokerError::NoReportableBooking, |w| {
        w.broker.forget_ended_booking(booking_id, w.now)
    });
}

#[test]
fn the_record_says_what_the_booking_ran_and_when_it_ended() {
    let (world, booking_id) = ended_by_the_miner();
    assert_eq!(
        world.broker.ended_booking(booking_id),
        Some(EndedBooking {
            user: user(),
            miner: miner(),
            vm_type_id: 1,
            price_per_second: 10,
            seconds_used: 61,
            amount_paid: 610,
            ended_at: world.now,
        })
    );
    assert_eq!(REPORT_WINDOW, 7 * 24 * 3_600_000);
}
