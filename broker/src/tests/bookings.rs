//! Bookings (`bookings.rs`) as they start and as they are listed; what they
//! pay is in `payments.rs`, how they end in `stops.rs`.
use super::*;

#[test]
fn booking_needs_a_week_of_all_the_users_bookings() {
    let (mut world, offer_id) = with_offer(10, 3);
    world.fund(user(), week_of(10) - 1);
    assert_refused(&mut world, BrokerError::InsufficientBalance, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    world.fund(user(), 1);
    let (booking_id, events) = world
        .broker
        .book_vm(user(), offer_id, ANY_PRICE, world.now)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::BookingStarted(BookingStarted {
            booking_id,
            offer_id,
            user: user(),
            miner: miner(),
            price_per_second: 10,
        })]
    );
    // A second booking needs two weeks of 10/s in total, not one.
    world.fund(user(), week_of(10) - 1);
    assert_refused(&mut world, BrokerError::InsufficientBalance, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    world.fund(user(), 1);
    book(&mut world, user(), offer_id);
    assert_eq!(free_locked(&world, user()), (0, week_of(20)));
}

#[test]
fn booking_also_needs_what_is_owed_already() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(20));
    book(&mut world, user(), offer_id);
    world.now += 1_000; // 10 owed now
    assert_refused(&mut world, BrokerError::InsufficientBalance, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    world.fund(user(), 10);
    book(&mut world, user(), offer_id);
}

#[test]
fn unknown_offers_and_bookings_are_refused() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    assert_refused(&mut world, BrokerError::UnknownOffer, |w| {
        w.broker.book_vm(user(), 0, ANY_PRICE, w.now)
    });
    assert_refused(&mut world, BrokerError::UnknownBooking, |w| {
        w.broker.claim_payment(miner(), 0, w.now)
    });
    assert_refused(&mut world, BrokerError::UnknownBooking, |w| {
        w.broker.stop_booking(user(), 0, StopReason::Ok, w.now)
    });
    assert_eq!(world.broker.booking(0), None);
}

#[test]
fn booking_lists_hold_the_active_bookings() {
    let (mut world, offer_id) = with_offer(10, 3);
    world.fund(user(), week_of(30));
    let a = book(&mut world, user(), offer_id);
    let b = book(&mut world, user(), offer_id);
    assert_eq!(
        ids(&world.broker.user_bookings(user(), None, 10).unwrap()),
        vec![a, b]
    );
    assert_eq!(
        ids(&world.broker.miner_bookings(miner(), None, 10).unwrap()),
        vec![a, b]
    );
    world
        .broker
        .stop_booking(user(), a, StopReason::Ok, world.now)
        .unwrap();
    assert_eq!(
        ids(&world.broker.user_bookings(user(), None, 10).unwrap()),
        vec![b]
    );
    assert_eq!(
        ids(&world.broker.miner_bookings(miner(), None, 10).unwrap()),
        vec![b]
    );
    // An ended booking is deleted; its events tell what happened.
    assert_eq!(world.broker.booking(a), None);
}
