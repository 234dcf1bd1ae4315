//! Offers are priced in a token: a stablecoin change must not leave them
//! bookable at the old number in the new token's units (second audit,
//! finding 6).
use super::*;

#[test]
fn a_migration_removes_every_offer_so_none_is_booked_at_a_price_in_the_old_token() {
    let (mut world, cheap) = with_offer(1_000, 2);
    let (other, _) = world.broker.add_offer(stranger(), 2, 5, 1, SPECS).unwrap();
    world.fund(user(), week_of(1_000));
    book(&mut world, user(), cheap);
    world.now += 1_000;
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    // Offers cannot be added or repriced while the token is changing.
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.add_offer(miner(), 1, 10, 1, SPECS)
    });
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.update_offer(stranger(), other, 7, 1)
    });
    while world.broker.config.migrating_to.is_some() {
        world.migrate(MAX_MIGRATION_BATCH).unwrap();
    }
    assert_eq!(world.broker.config.stablecoin, account(9));
    // Right after the last step nothing can be booked at the old prices.
    for offer_id in [cheap, other] {
        assert_eq!(world.broker.offer(offer_id), None);
        world.fund(user(), 1);
        assert_refused(&mut world, BrokerError::UnknownOffer, |w| {
            w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
        });
    }
    // Miners price anew, in the new token.
    let (repriced, _) = world
        .broker
        .add_offer(miner(), 1, 1_000_000, 2, SPECS)
        .unwrap();
    assert_eq!(
        world.broker.offer(repriced).unwrap().price_per_second,
        1_000_000
    );
}

#[test]
fn a_migration_step_removes_offers_after_the_bookings_and_before_paying_holders() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking = book(&mut world, user(), offer_id);
    world.now += 3_000;
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    let events = world.migrate(2).unwrap();
    assert_eq!(stopped(&events)[0].booking_id, booking);
    assert!(events.contains(&BrokerEvent::OfferRemoved(OfferRemoved {
        offer_id,
        miner: miner()
    })));
    assert!(!events
        .iter()
        .any(|e| matches!(e, BrokerEvent::Withdrawn(_))));
}

#[test]
fn an_offer_alone_keeps_the_migration_open_until_a_step_removes_it() {
    let (mut world, offer_id) = with_offer(10, 1);
    let events = world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    assert_eq!(
        events.len(),
        1,
        "switched with an offer priced in the old token"
    );
    assert_eq!(world.broker.config.migrating_to, Some(account(9)));
    let events = world.migrate(1).unwrap();
    assert_eq!(
        events,
        vec![
            BrokerEvent::OfferRemoved(OfferRemoved {
                offer_id,
                miner: miner()
            }),
            BrokerEvent::StablecoinChanged(StablecoinChanged {
                old: account(0x5C),
                new: account(9)
            })
        ]
    );
}
