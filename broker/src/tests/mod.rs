//! Unit tests of the env-free broker core: every rule and failure path of
//! DESIGN.md, with an in-memory token ledger.
use crate::{
    data::Events,
    events::*,
    memory::{account, broker_account, community_account, World},
    types::*,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{testing::TokenBehaviour, BrokerError, Page, MAX_PAGE_LIMIT};

use p2pcloud_common::testing::START;
const SPECS: [u8; 32] = [7; 32];
/// The most a test user accepts to pay when the price is not what it tests.
const ANY_PRICE: Balance = Balance::MAX;

fn miner() -> AccountId {
    account(1)
}
fn user() -> AccountId {
    account(2)
}
fn stranger() -> AccountId {
    account(3)
}
fn community() -> AccountId {
    community_account()
}

/// A world with one offer of `machines` machines at `price` by `miner()`.
fn with_offer(price: Balance, machines: u32) -> (World, OfferId) {
    let mut world = World::new(START);
    let (offer_id, _) = world
        .broker
        .add_offer(miner(), 1, price, machines, SPECS)
        .expect("offer");
    (world, offer_id)
}

/// Enough to book bookings costing `pps` in total for a week.
fn week_of(pps: Balance) -> Balance {
    pps * WEEK_SECONDS
}

/// `(free, locked)` of `account` now.
fn free_locked(world: &World, account: AccountId) -> (Balance, Balance) {
    let report = world.broker.check_balance(account, world.now).unwrap();
    (report.free, report.locked)
}

fn book(world: &mut World, user: AccountId, offer_id: OfferId) -> BookingId {
    world
        .broker
        .book_vm(user, offer_id, ANY_PRICE, world.now)
        .expect("book")
        .0
}

/// Runs an operation that must fail with `error` and change nothing at all.
fn assert_refused<T: core::fmt::Debug>(
    world: &mut World,
    error: BrokerError,
    operation: impl FnOnce(&mut World) -> Result<T, BrokerError>,
) {
    let before = world.clone();
    assert_eq!(operation(world).unwrap_err(), error);
    assert_eq!(*world, before, "a failed operation changed state");
}

/// The ids of a page's items, in order.
fn ids<T>(page: &Page<u64, T>) -> Vec<u64> {
    page.items.iter().map(|(id, _)| *id).collect()
}

fn payouts(events: &Events) -> Vec<&MinerPayout> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::MinerPayout(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn stopped(events: &Events) -> Vec<&BookingStopped> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::BookingStopped(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// The constants the spec states, pinned to their values: tests elsewhere
/// derive amounts from them, so a changed constant would pass those.
#[test]
fn the_protocol_constants_are_the_specified_ones() {
    assert_eq!(WEEK_SECONDS, 7 * 24 * 60 * 60);
    assert_eq!(WEEK_SECONDS, 604_800);
    assert_eq!(DEFAULT_FEE_BPS, 500);
    assert_eq!(MAX_FEE_BPS, 2_500);
    assert_eq!(BPS_DENOMINATOR, 10_000);
    assert_eq!(MS_PER_SECOND, 1_000);
    assert_eq!(MAX_PRICE_PER_SECOND, 1_208_925_819_614_629_174_706_176);
    assert_eq!(
        MAX_TOTAL_DEPOSITS,
        1_298_074_214_633_706_907_132_624_082_305_024
    );
    assert_eq!(MAX_MIGRATION_BATCH, 16);
    assert_eq!(MAX_URL_LEN, 256);
    assert_eq!(MAX_PAGE_LIMIT, 100);
}

// ---- offers ------------------------------------------------------------------

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

// ---- balances ----------------------------------------------------------------

#[test]
fn deposit_pulls_tokens_and_credits_them() {
    let mut world = World::new(START);
    world.ledger_mut().mint(user(), 100);
    let events = world.deposit(user(), 60).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::Deposited(Deposited {
            account: user(),
            amount: 60
        })]
    );
    assert_eq!(world.ledger().balance(user()), 40);
    assert_eq!(world.ledger().balance(broker_account()), 60);
    assert_eq!(free_locked(&world, user()), (60, 0));
    assert_eq!(world.broker.config.total_deposits, 60);
}

#[test]
fn deposit_refuses_zero_and_more_than_the_user_has() {
    let mut world = World::new(START);
    world.ledger_mut().mint(user(), 10);
    assert_refused(&mut world, BrokerError::ZeroAmount, |w| {
        w.deposit(user(), 0)
    });
    assert_refused(&mut world, BrokerError::TokenTransferRejected, |w| {
        w.deposit(user(), 11)
    });
}

#[test]
fn every_kind_of_token_failure_leaves_everything_as_it_was() {
    let cases = [
        (TokenBehaviour::Rejects, BrokerError::TokenTransferRejected),
        (TokenBehaviour::Traps, BrokerError::TokenCallFailed),
        (TokenBehaviour::Lies, BrokerError::TokenBalanceMismatch),
    ];
    for (behaviour, error) in cases {
        let mut world = World::new(START);
        world.fund(user(), 100);
        world.ledger_mut().mint(user(), 100);
        world.ledger_mut().behaviour = behaviour;
        assert_refused(&mut world, error, |w| w.deposit(user(), 50));
        assert_refused(&mut world, error, |w| w.withdraw(user(), 50));
    }
}

#[test]
fn withdraw_sends_up_to_the_free_balance() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    assert_refused(&mut world, BrokerError::ZeroAmount, |w| {
        w.withdraw(user(), 0)
    });
    assert_refused(&mut world, BrokerError::InsufficientFreeBalance, |w| {
        w.withdraw(user(), 101)
    });
    let events = world.withdraw(user(), 100).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::Withdrawn(Withdrawn {
            account: user(),
            amount: 100
        })]
    );
    assert_eq!(world.ledger().balance(user()), 100);
    assert_eq!(world.ledger().balance(broker_account()), 0);
    assert_eq!(world.broker.config.total_deposits, 0);
}

#[test]
fn the_week_lock_and_what_is_owed_limit_withdrawals() {
    let (mut world, offer_id) = with_offer(10, 1);
    let extra = 1_000;
    world.fund(user(), week_of(10) + extra);
    book(&mut world, user(), offer_id);
    assert_eq!(free_locked(&world, user()), (extra, week_of(10)));
    world.now += 30_000; // 30 s owed to the miner, not yet claimed
    assert_eq!(free_locked(&world, user()), (extra - 300, week_of(10)));
    assert_refused(&mut world, BrokerError::InsufficientFreeBalance, |w| {
        w.withdraw(user(), extra - 299)
    });
    world.withdraw(user(), extra - 300).unwrap();
    // The miner can still be paid every second the user used.
    let events = world.broker.claim_payment(miner(), 0, world.now).unwrap();
    let payout = payouts(&events)[0];
    assert_eq!(payout.amount + payout.fee, 300);
}

#[test]
fn a_balance_that_ran_out_is_all_owed_and_locks_nothing_more() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    book(&mut world, user(), offer_id);
    world.now += 8 * 24 * 3_600_000; // more than a week, nothing claimed
    let report = world.broker.check_balance(user(), world.now).unwrap();
    assert_eq!(
        (report.owed, report.free, report.locked),
        (week_of(10), 0, 0)
    );
}

// ---- bookings ----------------------------------------------------------------

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
        vec![&MinerPayout {
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
    let payout = payouts(&events)[0];
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
        }]
    );
    assert!(!events
        .iter()
        .any(|e| matches!(e, BrokerEvent::BookingReported(_))));
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

// ---- service functions --------------------------------------------------------

#[test]
fn service_functions_are_for_the_community_only() {
    let mut world = World::new(START);
    for caller in [user(), miner(), stranger()] {
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_community_fee(caller, 100)
        });
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_stablecoin(caller, account(9))
        });
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_community(caller, caller)
        });
        assert_eq!(
            world.broker.upgrade_code(caller, Hash::from([1; 32])),
            Err(BrokerError::NotCommunity)
        );
    }
    assert_eq!(
        world
            .broker
            .upgrade_code(community(), Hash::from([1; 32]))
            .unwrap(),
        vec![BrokerEvent::CodeUpgraded(CodeUpgraded {
            code_hash: Hash::from([1; 32])
        })]
    );
}

#[test]
fn the_fee_is_capped_at_25_percent() {
    let mut world = World::new(START);
    assert_eq!(world.broker.config.fee_bps, DEFAULT_FEE_BPS);
    assert_refused(&mut world, BrokerError::FeeTooHigh, |w| {
        w.broker.set_community_fee(community(), MAX_FEE_BPS + 1)
    });
    let events = world
        .broker
        .set_community_fee(community(), MAX_FEE_BPS)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityFeeChanged(CommunityFeeChanged {
            old_bps: 500,
            new_bps: 2_500
        })]
    );
}

#[test]
fn an_empty_broker_changes_its_stablecoin_at_once() {
    let mut world = World::new(START);
    let events = world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    assert_eq!(
        events,
        vec![
            BrokerEvent::MigrationStarted(MigrationStarted {
                from: account(0x5C),
                to: account(9)
            }),
            BrokerEvent::StablecoinChanged(StablecoinChanged {
                old: account(0x5C),
                new: account(9)
            })
        ]
    );
    assert_eq!(world.broker.config.stablecoin, account(9));
    assert_eq!(world.broker.config.migrating_to, None);
}

#[test]
fn a_dust_deposit_cannot_block_a_migration() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(stranger(), 1);
    world.fund(user(), week_of(20));
    let booking = book(&mut world, user(), offer_id);
    world.now += 10_000;
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    // Deposits and bookings stop at once; withdrawals and claims go on.
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.deposit(stranger(), 1)
    });
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.set_stablecoin(community(), account(8))
    });
    for limit in [0, MAX_MIGRATION_BATCH + 1] {
        assert_refused(&mut world, BrokerError::BatchLimitOutOfRange, |w| {
            w.migrate(limit)
        });
    }
    // Step 1 ends the booking, paying the miner its 10 seconds.
    let events = world.migrate(1).unwrap();
    assert_eq!(payouts(&events)[0].amount + payouts(&events)[0].fee, 100);
    assert_eq!(stopped(&events)[0].reason, StopReason::CommunityTerminated);
    assert_eq!(world.broker.booking(booking), None);
    // Then every balance goes back to its owner, the dust too.
    let user_tokens = world.ledger().balance(user());
    world.migrate(2).unwrap();
    world.migrate(MAX_MIGRATION_BATCH).unwrap();
    assert_eq!(world.broker.config.stablecoin, account(9));
    assert_eq!(world.ledger().balance(stranger()), 1);
    assert_eq!(
        world.ledger().balance(user()),
        user_tokens + week_of(20) - 100
    );
    assert_eq!(world.ledger().balance(miner()), 95);
    assert_eq!(world.ledger().balance(community()), 5);
    assert_eq!(world.ledger().balance(broker_account()), 0);
    assert_eq!(world.broker.config.total_deposits, 0);
    // Left: the ended booking's record, until it is reported or forgotten
    // (the offer was removed: its price was in the old token).
    assert_eq!(world.broker.stored_items(), 1);
    assert!(world.broker.ended_booking(booking).is_some());
    assert_refused(&mut world, BrokerError::NoMigration, |w| w.migrate(1));
}

#[test]
fn a_new_community_takes_over_every_right_only_when_it_accepts() {
    let mut world = World::new(START);
    let next = account(0xC1);
    let events = world.broker.set_community(community(), next).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityProposed(CommunityProposed {
            current: community(),
            proposed: Some(next)
        })]
    );
    // Until it accepts, the old community keeps every right.
    assert_eq!(world.broker.config.community, community());
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_community_fee(next, 100)
    });
    world.broker.set_community_fee(community(), 100).unwrap();
    for stranger in [community(), stranger(), account(0xC2)] {
        assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
            w.broker.accept_community(stranger)
        });
    }
    let events = world.broker.accept_community(next).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityChanged(CommunityChanged {
            old: community(),
            new: next
        })]
    );
    assert_eq!(world.broker.config.proposed_community, None);
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_community_fee(community(), 100)
    });
    world.broker.set_community_fee(next, 200).unwrap();
    // An acceptance counts once.
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(next)
    });
}

/// A mistyped or unwilling successor cannot take the broker: the community
/// withdraws the offer by proposing itself, or replaces it by another.
#[test]
fn a_hand_over_can_be_withdrawn_or_redirected_before_acceptance() {
    let mut world = World::new(START);
    let typo = account(0xC1);
    let next = account(0xC2);
    world.broker.set_community(community(), typo).unwrap();
    world.broker.set_community(community(), next).unwrap();
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(typo)
    });
    let events = world
        .broker
        .set_community(community(), community())
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityProposed(CommunityProposed {
            current: community(),
            proposed: None
        })]
    );
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(next)
    });
    assert_eq!(world.broker.config.community, community());
}

/// Found by fuzzing the model: the broker's own account deposits nothing,
/// because a transfer to itself does not move its balance.
#[test]
fn the_broker_cannot_deposit_into_itself() {
    let mut world = World::new(START);
    world.ledger_mut().mint(broker_account(), 100);
    assert_refused(&mut world, BrokerError::TokenBalanceMismatch, |w| {
        w.deposit(broker_account(), 50)
    });
}

#[test]
fn token_call_limits_are_the_communitys_and_none_may_be_zero() {
    let mut world = World::new(START);
    let smallest = TokenCallLimits {
        ref_time: 1,
        proof_size: 1,
        storage_deposit: 1,
    };
    let zero_ref_time = TokenCallLimits {
        ref_time: 0,
        ..smallest
    };
    let zero_proof_size = TokenCallLimits {
        proof_size: 0,
        ..smallest
    };
    let zero_deposit = TokenCallLimits {
        storage_deposit: 0,
        ..smallest
    };
    for zero in [zero_ref_time, zero_proof_size, zero_deposit] {
        assert_refused(&mut world, BrokerError::ZeroTokenCallLimit, |w| {
            w.broker.set_token_call_limits(community(), zero)
        });
    }
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_token_call_limits(miner(), smallest)
    });
    let events = world
        .broker
        .set_token_call_limits(community(), smallest)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::TokenCallLimitsChanged(
            TokenCallLimitsChanged { limits: smallest }
        )]
    );
    assert_eq!(world.broker.config.token_call_limits, smallest);
}

mod funding_by_others;
mod reports_after_the_end;
mod stablecoin_change;
