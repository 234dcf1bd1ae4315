//! Fair pay when a user runs short: once the balance ran out, no miner gains
//! or loses by the order in which bookings are claimed and stopped.
use super::{env_count, fixed_seed_runner};
use broker::{
    memory::{account, World},
    model::START,
    types::*,
};
use ink::primitives::AccountId;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// One user (1) with bookings on offers of three miners (2, 3, 4) at random
/// prices, a balance between nothing and a few weeks of them, and random
/// claims on the way.
fn short_user_world() -> impl Strategy<Value = (Vec<Balance>, Balance, Vec<u64>, u64)> {
    (
        proptest::collection::vec(1u128..1_000, 1..6),
        0u128..4_000_000,
        proptest::collection::vec(0u64..(3 * 24 * 3_600_000), 0..4),
        0u64..(30 * 24 * 3_600_000),
    )
}

fn miner_of(i: usize) -> AccountId {
    account(2 + (i % 3) as u8)
}

/// Books `prices` for user 1, funded with a week of them plus `extra`, then
/// lets each of `claims_at` pass with a claim of every booking.
fn booked_world(prices: &[Balance], extra: Balance, claims_at: &[u64]) -> (World, Vec<BookingId>) {
    let mut world = World::new(START);
    let user = account(1);
    let total: Balance = prices.iter().sum();
    // A week of all of them, what accrues while booking the rest, and `extra`.
    let funds = total * (WEEK_SECONDS + 10) + extra;
    world.ledger_mut().mint(user, funds);
    world.deposit(user, funds).unwrap();
    let mut bookings = Vec::new();
    for (i, price) in prices.iter().enumerate() {
        let (offer, _) = world
            .broker
            .add_offer(miner_of(i), 1, *price, 1, [0; 32])
            .unwrap();
        world.now += 1_234;
        bookings.push(
            world
                .broker
                .book_vm(user, offer, *price, world.now)
                .unwrap()
                .0,
        );
    }
    for (i, ms) in claims_at.iter().enumerate() {
        world.now += ms;
        let booking = bookings[i % bookings.len()];
        let miner = miner_of(i % bookings.len());
        let _ = world.broker.claim_payment(miner, booking, world.now);
    }
    (world, bookings)
}

/// Settles every booking (claim or stop) in the given order, each at its own
/// later time, and returns what every account holds afterwards.
fn settle_in_order(
    mut world: World,
    bookings: &[BookingId],
    order: &[(usize, bool, u64)],
) -> BTreeMap<AccountId, Balance> {
    for &(i, stop, later) in order {
        world.now += later;
        let booking = bookings[i];
        let result = if stop {
            world
                .broker
                .stop_booking(account(1), booking, StopReason::Ok, world.now)
        } else {
            world.broker.claim_payment(miner_of(i), booking, world.now)
        };
        // A booking ended earlier (non-payment) is gone: that is fine.
        if let Err(error) = result {
            assert_eq!(error, broker::BrokerError::UnknownBooking);
        }
    }
    [1u8, 2, 3, 4]
        .map(account)
        .into_iter()
        .chain([broker::memory::community_account()])
        .map(|a| (a, world.balance(a)))
        .collect()
}

#[test]
fn once_a_user_runs_short_no_miner_gains_or_loses_by_the_order_of_claims_and_stops() {
    let mut runner = fixed_seed_runner(env_count("P2PCLOUD_SEQUENCES", 10_000) / 10);
    let result = runner.run(
        &(short_user_world(), any::<u64>(), any::<u64>()),
        |((prices, extra, claims_at, run_past), seed_a, seed_b)| {
            let (mut world, bookings) = booked_world(&prices, extra, &claims_at);
            // Far enough that the balance may have run out.
            world.now += WEEK_SECONDS as u64 * 1_000 + run_past;
            let report = world.broker.check_balance(account(1), world.now).unwrap();
            // Before the balance runs out a stop changes when it does (the user
            // stops paying for one machine), so settlements spread over time
            // only once it ran out; before that, all at the same moment.
            let ran_out = report.runs_out_at.is_some_and(|at| at < world.now);
            let orders = [seed_a, seed_b].map(|seed| {
                let mut order = shuffled(bookings.len(), seed);
                if !ran_out {
                    order.iter_mut().for_each(|(_, _, later)| *later = 0);
                }
                order
            });
            let [first, second] =
                orders.map(|order| settle_in_order(world.clone(), &bookings, &order));
            prop_assert_eq!(first, second);
            Ok(())
        },
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}

/// Every booking once, in an order drawn from `seed`, each claimed or stopped
/// and each a random while after the one before.
fn shuffled(n: usize, mut seed: u64) -> Vec<(usize, bool, u64)> {
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    order
        .into_iter()
        .map(|i| (i, next() % 2 == 0, next() % 100_000))
        .collect()
}
