//! Offers (`offers.rs`): adding, repricing and removing them, the lists that
//! show them, and the miner's URL.
use super::*;

#[test]
fn add_offer_stores_it_lists_it_and_reports_it() {
    let mut world = World::new(START);
    let (first, events) = world.broker.add_offer(miner(), 3, 10, 2, SPECS).unwrap();
    let (second, _) = world.broker.add_offer(miner(), 4, 11, 1, SPECS).unwrap();
    assert_eq!((first, second), (0, 1));
    let offer = world.broker.offer(first).unwrap();
    assert_eq!(
        (
            offer.miner,
            offer.vm_type_id,
            offer.price_per_second,
            offer.machines,
            offer.booked
        ),
        (miner(), 3, 10, 2, 0)
    );
    assert_eq!(
        events,
        vec![BrokerEvent::OfferAdded(OfferAdded {
            offer_id: 0,
            miner: miner(),
            vm_type_id: 3,
            price_per_second: 10,
            machines: 2,
            specs: SPECS,
        })]
    );
    let mine = world.broker.miners_offers(miner(), None, 10).unwrap();
    assert_eq!(ids(&mine), vec![0, 1]);
    let of_type_4 = world.broker.available_offers(Some(4), None, 10).unwrap();
    assert_eq!(
        of_type_4
            .items
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        vec![1]
    );
}

#[test]
fn add_offer_refuses_zero_price_zero_machines_and_huge_prices() {
    let mut world = World::new(START);
    assert_refused(&mut world, BrokerError::ZeroPrice, |w| {
        w.broker.add_offer(miner(), 1, 0, 1, SPECS)
    });
    assert_refused(&mut world, BrokerError::ZeroMachines, |w| {
        w.broker.add_offer(miner(), 1, 1, 0, SPECS)
    });
    assert_refused(&mut world, BrokerError::PriceTooHigh, |w| {
        w.broker
            .add_offer(miner(), 1, MAX_PRICE_PER_SECOND + 1, 1, SPECS)
    });
    assert!(world
        .broker
        .add_offer(miner(), 1, MAX_PRICE_PER_SECOND, 1, SPECS)
        .is_ok());
}

#[test]
fn update_offer_is_for_its_miner_and_keeps_booked_machines() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(20));
    book(&mut world, user(), offer_id);
    assert_refused(&mut world, BrokerError::NotOfferOwner, |w| {
        w.broker.update_offer(stranger(), offer_id, 5, 2)
    });
    assert_refused(&mut world, BrokerError::UnknownOffer, |w| {
        w.broker.update_offer(miner(), 99, 5, 2)
    });
    assert_refused(&mut world, BrokerError::ZeroPrice, |w| {
        w.broker.update_offer(miner(), offer_id, 0, 2)
    });
    assert_refused(&mut world, BrokerError::ZeroMachines, |w| {
        w.broker.update_offer(miner(), offer_id, 5, 0)
    });
    world.broker.update_offer(miner(), offer_id, 5, 1).unwrap();
    let offer = world.broker.offer(offer_id).unwrap();
    assert_eq!((offer.price_per_second, offer.machines), (5, 1));
    // Full now: no longer available.
    assert!(world
        .broker
        .available_offers(None, None, 10)
        .unwrap()
        .items
        .is_empty());
    world.broker.update_offer(miner(), offer_id, 5, 3).unwrap();
    assert_eq!(
        world
            .broker
            .available_offers(None, None, 10)
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn machines_cannot_drop_below_the_booked_ones() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(20));
    book(&mut world, user(), offer_id);
    book(&mut world, user(), offer_id);
    assert_refused(&mut world, BrokerError::MachinesBelowBooked, |w| {
        w.broker.update_offer(miner(), offer_id, 10, 1)
    });
}

#[test]
fn a_new_price_applies_to_new_bookings_only() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(40));
    let old = book(&mut world, user(), offer_id);
    world.broker.update_offer(miner(), offer_id, 20, 2).unwrap();
    let new = book(&mut world, user(), offer_id);
    assert_eq!(world.broker.booking(old).unwrap().price_per_second, 10);
    assert_eq!(world.broker.booking(new).unwrap().price_per_second, 20);
    world.now += 1_000;
    let events = world.broker.claim_payment(miner(), old, world.now).unwrap();
    assert_eq!(payouts(&events)[0].amount + payouts(&events)[0].fee, 10);
}

#[test]
fn remove_offer_is_for_its_miner_and_closes_a_booked_offer_until_its_last_booking_ends() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(20));
    let first = book(&mut world, user(), offer_id);
    let second = book(&mut world, user(), offer_id);
    assert_refused(&mut world, BrokerError::NotOfferOwner, |w| {
        w.broker.remove_offer(stranger(), offer_id)
    });
    let events = world.broker.remove_offer(miner(), offer_id).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::OfferClosed(OfferClosed {
            offer_id,
            miner: miner()
        })]
    );
    assert!(world.broker.offer(offer_id).unwrap().closed);
    // Closed: no bookings, no changes, not listed as available.
    for error_case in [
        |w: &mut World, id| w.broker.update_offer(miner(), id, 5, 2),
        |w: &mut World, id| w.broker.remove_offer(miner(), id),
    ] {
        assert_refused(&mut world, BrokerError::OfferClosed, |w| {
            error_case(w, offer_id)
        });
    }
    world
        .broker
        .stop_booking(user(), first, StopReason::Ok, world.now)
        .unwrap();
    assert_refused(&mut world, BrokerError::OfferClosed, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    assert!(world
        .broker
        .available_offers(Some(1), None, 10)
        .unwrap()
        .items
        .is_empty());
    // The last booking's end removes it and gives its storage back.
    let events = world
        .broker
        .stop_booking(user(), second, StopReason::Ok, world.now)
        .unwrap();
    assert_eq!(
        events.last(),
        Some(&BrokerEvent::OfferRemoved(OfferRemoved {
            offer_id,
            miner: miner()
        }))
    );
    assert_eq!(world.broker.offer(offer_id), None);
    assert!(world
        .broker
        .miners_offers(miner(), None, 10)
        .unwrap()
        .items
        .is_empty());
    assert_refused(&mut world, BrokerError::UnknownOffer, |w| {
        w.broker.remove_offer(miner(), offer_id)
    });
}

#[test]
fn an_unbooked_offer_is_removed_at_once() {
    let (mut world, offer_id) = with_offer(10, 2);
    let events = world.broker.remove_offer(miner(), offer_id).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::OfferRemoved(OfferRemoved {
            offer_id,
            miner: miner()
        })]
    );
    assert_eq!(world.broker.stored_items(), 0);
}

#[test]
fn a_user_names_the_most_they_pay_so_a_raised_price_is_never_booked() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(user(), week_of(40));
    // The miner raises the price just before the booking lands.
    world.broker.update_offer(miner(), offer_id, 20, 2).unwrap();
    assert_refused(&mut world, BrokerError::PriceAboveLimit, |w| {
        w.broker.book_vm(user(), offer_id, 19, w.now)
    });
    let (booking_id, _) = world
        .broker
        .book_vm(user(), offer_id, 20, world.now)
        .unwrap();
    assert_eq!(
        world.broker.booking(booking_id).unwrap().price_per_second,
        20
    );
}

#[test]
fn a_miner_cannot_book_their_own_offer() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(miner(), week_of(10));
    assert_refused(&mut world, BrokerError::OwnOffer, |w| {
        w.broker.book_vm(miner(), offer_id, ANY_PRICE, w.now)
    });
}

#[test]
fn available_offers_follow_free_machines() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking = book(&mut world, user(), offer_id);
    assert!(world
        .broker
        .available_offers(None, None, 10)
        .unwrap()
        .items
        .is_empty());
    assert!(world
        .broker
        .available_offers(Some(1), None, 10)
        .unwrap()
        .items
        .is_empty());
    assert_refused(&mut world, BrokerError::NoFreeMachine, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    world
        .broker
        .stop_booking(user(), booking, StopReason::Ok, world.now)
        .unwrap();
    assert_eq!(
        world
            .broker
            .available_offers(Some(1), None, 10)
            .unwrap()
            .items
            .len(),
        1
    );
    assert!(world
        .broker
        .available_offers(Some(2), None, 10)
        .unwrap()
        .items
        .is_empty());
}

#[test]
fn pages_are_bounded_and_survive_removals() {
    let mut world = World::new(START);
    for _ in 0..5 {
        world.broker.add_offer(miner(), 1, 1, 1, SPECS).unwrap();
    }
    for limit in [0, MAX_PAGE_LIMIT + 1] {
        assert_eq!(
            world
                .broker
                .miners_offers(miner(), None, limit)
                .unwrap_err(),
            BrokerError::PageLimitOutOfRange
        );
    }
    assert_eq!(MAX_PAGE_LIMIT, 100);
    let first = world.broker.miners_offers(miner(), None, 2).unwrap();
    assert_eq!(ids(&first), vec![0, 1]);
    assert_eq!(first.next, Some(2));
    // Removing an item already seen and the one the cursor names keeps the
    // walk intact: it goes on at the next id still listed.
    world.broker.remove_offer(miner(), 1).unwrap();
    world.broker.remove_offer(miner(), 2).unwrap();
    let second = world.broker.miners_offers(miner(), first.next, 3).unwrap();
    assert_eq!(ids(&second), vec![3, 4]);
    assert_eq!(second.next, None);
    // Each id probed counts against the limit: a page may come back empty
    // with a cursor to go on from.
    world.broker.remove_offer(miner(), 3).unwrap();
    let probed = world.broker.miners_offers(miner(), Some(2), 1).unwrap();
    assert_eq!((ids(&probed), probed.next), (vec![], Some(3)));
    let rest = world.broker.miners_offers(miner(), probed.next, 2).unwrap();
    assert_eq!((ids(&rest), rest.next), (vec![4], None));
    // Cursors before the head and past the tail.
    assert_eq!(
        ids(&world.broker.miners_offers(miner(), Some(0), 5).unwrap()),
        vec![0, 4]
    );
    let past = world.broker.miners_offers(miner(), Some(9), 5).unwrap();
    assert_eq!((ids(&past), past.next), (vec![], None));
    // A cursor before the head goes on at the head, however far before.
    world.broker.remove_offer(miner(), 0).unwrap();
    let from_far = world.broker.miners_offers(miner(), Some(0), 1).unwrap();
    assert_eq!((ids(&from_far), from_far.next), (vec![4], None));
    // Removing the tail, then appending: the list ends at the new item.
    world.broker.add_offer(miner(), 1, 1, 1, SPECS).unwrap();
    world.broker.remove_offer(miner(), 5).unwrap();
    world.broker.add_offer(miner(), 1, 1, 1, SPECS).unwrap();
    let all = world.broker.miners_offers(miner(), None, 10).unwrap();
    assert_eq!(ids(&all), vec![4, 6]);
    for offer in [4, 6] {
        world.broker.remove_offer(miner(), offer).unwrap();
    }
    assert!(world
        .broker
        .miners_offers(miner(), None, 1)
        .unwrap()
        .items
        .is_empty());
    // An emptied list takes new items again.
    world.broker.add_offer(miner(), 1, 1, 1, SPECS).unwrap();
    assert_eq!(
        world.broker.miners_offers(miner(), None, 1).unwrap().items[0].0,
        7
    );
}

#[test]
fn miner_url_is_bounded_and_can_be_cleared() {
    let mut world = World::new(START);
    assert_eq!(
        world
            .broker
            .set_miner_url(miner(), "x".repeat(MAX_URL_LEN + 1)),
        Err(BrokerError::UrlTooLong)
    );
    assert_eq!(world.broker.miner_url(miner()), None);
    world
        .broker
        .set_miner_url(miner(), "https://m.example".into())
        .unwrap();
    assert_eq!(
        world.broker.miner_url(miner()).as_deref(),
        Some("https://m.example")
    );
    world.broker.set_miner_url(miner(), String::new()).unwrap();
    assert_eq!(world.broker.miner_url(miner()), None);
}
