//! Model-based property tests of the broker core: random sequences of every
//! operation by several accounts, with valid and invalid ids, amounts, times
//! and token failures, run through `broker::model`, which checks every step
//! against aggregates recomputed from scratch and the money invariants.
//!
//! `cargo test -p broker --test model` runs `P2PCLOUD_SEQUENCES` sequences
//! (10 000 by default); the ignored `campaign` test runs `P2PCLOUD_OPS`
//! operations (1 000 000 by default) and prints how many ran.
use broker::{
    memory::{account, World},
    model::{run, step, walk, who, History, Op, START},
    types::*,
};
use ink::primitives::AccountId;
use p2pcloud_common::testing::TokenBehaviour;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{RngAlgorithm, TestRng, TestRunner},
};
use std::collections::{BTreeMap, BTreeSet};

/// Callers: 1-4 are users and miners, 0xC0 is the community, 9 a stranger.
fn caller() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 1u8..=4, 1 => Just(0xC0), 1 => Just(9)]
}

fn price() -> impl Strategy<Value = Balance> {
    prop_oneof![
        8 => 1u128..50,
        1 => Just(0),
        1 => Just(MAX_PRICE_PER_SECOND),
        1 => Just(MAX_PRICE_PER_SECOND + 1),
        1 => Just(u128::MAX),
    ]
}

fn amount() -> impl Strategy<Value = Balance> {
    prop_oneof![
        6 => 0u128..200_000_000,
        1 => Just(0),
        1 => Just(u128::MAX),
        1 => Just(MAX_TOTAL_DEPOSITS),
        1 => 0u128..u128::MAX,
    ]
}

fn id() -> impl Strategy<Value = u64> {
    prop_oneof![8 => 0u64..8, 1 => Just(u64::MAX)]
}

fn reason() -> impl Strategy<Value = StopReason> {
    prop_oneof![
        Just(StopReason::Ok),
        Just(StopReason::MinerMisbehaviour),
        Just(StopReason::MinerTerminated),
        Just(StopReason::NonPayment),
        Just(StopReason::CommunityTerminated),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (caller(), 0u32..3, price(), 0u32..4)
            .prop_map(|(caller, vm, price, machines)| Op::AddOffer { caller, vm, price, machines }),
        1 => (caller(), id(), price(), 0u32..4)
            .prop_map(|(caller, offer, price, machines)| Op::UpdateOffer { caller, offer, price, machines }),
        1 => (caller(), id()).prop_map(|(caller, offer)| Op::RemoveOffer { caller, offer }),
        3 => (caller(), amount()).prop_map(|(caller, amount)| Op::Deposit { caller, amount }),
        2 => (caller(), caller(), amount())
            .prop_map(|(caller, account, amount)| Op::DepositFor { caller, account, amount }),
        2 => (caller(), amount()).prop_map(|(caller, amount)| Op::Withdraw { caller, amount }),
        2 => (caller(), -2i8..=2).prop_map(|(caller, delta)| Op::WithdrawFree { caller, delta }),
        4 => (caller(), id(), prop_oneof![4 => Just(0i8), 1 => -2i8..=2])
            .prop_map(|(caller, offer, max_price_delta)| Op::Book { caller, offer, max_price_delta }),
        3 => (caller(), id()).prop_map(|(caller, booking)| Op::Claim { caller, booking }),
        2 => (caller(), id(), reason())
            .prop_map(|(caller, booking, reason)| Op::Stop { caller, booking, reason }),
        1 => (caller(), prop_oneof![0u16..3_000, Just(u16::MAX)])
            .prop_map(|(caller, bps)| Op::SetFee { caller, bps }),
        1 => caller().prop_map(|caller| Op::SetStablecoin { caller }),
        2 => prop_oneof![0u32..=MAX_MIGRATION_BATCH + 1].prop_map(|limit| Op::Migrate { limit }),
        4 => prop_oneof![
            8 => 0u64..5_000,
            8 => 0u64..(8 * 24 * 3_600_000),
            // A century at once: nothing may overflow before the year 2527.
            1 => Just(100 * 365 * 24 * 3_600_000),
        ]
        .prop_map(|ms| Op::Advance { ms }),
        1 => prop_oneof![
            Just(TokenBehaviour::Rejects),
            Just(TokenBehaviour::Traps),
            Just(TokenBehaviour::Lies),
        ]
        .prop_map(|behaviour| Op::TokenFails { behaviour }),
        1 => (caller(), id()).prop_map(|(caller, booking)| Op::ReportEnded { caller, booking }),
        1 => id().prop_map(|booking| Op::ForgetEnded { booking }),
    ]
}

fn env_count(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CI runs the same sequences every time; the campaign draws new ones.
fn fixed_seed_runner(cases: u32) -> TestRunner {
    TestRunner::new_with_rng(
        ProptestConfig::with_cases(cases),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    )
}

#[test]
fn random_operation_sequences_keep_every_invariant() {
    let cases = env_count("P2PCLOUD_SEQUENCES", 10_000);
    let mut runner = fixed_seed_runner(cases);
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| {
        run(&ops).map_err(TestCaseError::fail)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    println!("model: {cases} sequences passed");
}

/// The long campaign: `P2PCLOUD_OPS` operations in sequences of up to 200.
#[test]
#[ignore = "long campaign; run with --ignored"]
fn campaign() {
    let target = u64::from(env_count("P2PCLOUD_OPS", 1_000_000));
    let mut runner = TestRunner::default();
    let sequence = proptest::collection::vec(op(), 1..200);
    let (mut ops, mut sequences) = (0u64, 0u64);
    while ops < target {
        let tree = sequence.new_tree(&mut runner).expect("strategy");
        let ops_now = tree.current();
        if let Err(error) = run(&ops_now) {
            panic!("campaign failed after {ops} operations: {error:?}\n{ops_now:?}");
        }
        ops += ops_now.len() as u64;
        sequences += 1;
    }
    println!("campaign: {ops} operations in {sequences} sequences, all invariants held");
}

/// A settlement that charges nothing (the user ran out before the claim)
/// must keep the model's books right: two bookings at 10 a second drain
/// 12 096 000 in exactly one week; claims two weeks later pay nothing more
/// than that week.
#[test]
fn claims_long_after_the_run_out_charge_nothing_twice() {
    let week_ms = 604_800_000;
    let ops = [
        Op::AddOffer {
            caller: 2,
            vm: 1,
            price: 10,
            machines: 2,
        },
        Op::Deposit {
            caller: 1,
            amount: 12_096_000,
        },
        Op::Book {
            caller: 1,
            offer: 0,
            max_price_delta: 0,
        },
        Op::Book {
            caller: 1,
            offer: 0,
            max_price_delta: 0,
        },
        Op::Advance { ms: 2 * week_ms },
        Op::Claim {
            caller: 2,
            booking: 0,
        },
        Op::Claim {
            caller: 2,
            booking: 1,
        },
        Op::Claim {
            caller: 2,
            booking: 0,
        },
        Op::Advance { ms: week_ms },
        Op::Stop {
            caller: 1,
            booking: 1,
            reason: StopReason::MinerMisbehaviour,
        },
        Op::Claim {
            caller: 2,
            booking: 0,
        },
    ];
    if let Err(error) = run(&ops) {
        panic!("{error}");
    }
}

/// Money paid in by another account around the run-out: a top-up before it
/// moves the run-out and keeps the booking paying, one after it is refused
/// and changes nothing (the model checks both at every step).
#[test]
fn funding_by_others_around_the_run_out_keeps_every_invariant() {
    let week_ms: u64 = 604_800_000;
    let mut runner = fixed_seed_runner(env_count("P2PCLOUD_SEQUENCES", 10_000).min(2_000));
    let cases = (
        (week_ms - 7_200_000)..(week_ms + 7_200_000),
        0u128..20_000_000,
        0u64..(2 * week_ms),
    );
    let (refused, accepted) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let result = runner.run(&cases, |(wait, top_up, later)| {
        let ops = [
            Op::AddOffer {
                caller: 2,
                vm: 1,
                price: 10,
                machines: 1,
            },
            Op::Deposit {
                caller: 1,
                amount: 6_048_000,
            },
            Op::Book {
                caller: 1,
                offer: 0,
                max_price_delta: 0,
            },
            Op::Advance { ms: wait },
            Op::DepositFor {
                caller: 3,
                account: 1,
                amount: top_up,
            },
            Op::Advance { ms: later },
            Op::Claim {
                caller: 2,
                booking: 0,
            },
            Op::Stop {
                caller: 1,
                booking: 0,
                reason: StopReason::Ok,
            },
        ];
        let mut world = World::new(START);
        let mut history = History::default();
        for (index, op) in ops.iter().enumerate() {
            let before = world.balance(who(1));
            step(&mut world, &mut history, op).map_err(TestCaseError::fail)?;
            if index == 4 && top_up > 0 {
                let counter = if world.balance(who(1)) == before {
                    &refused
                } else {
                    &accepted
                };
                counter.set(counter.get() + 1);
            }
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    assert!(
        refused.get() > 0 && accepted.get() > 0,
        "both sides of the run-out were reached"
    );
}

// ---- fair pay when a user runs short ----------------------------------------

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

// ---- paging under changes -----------------------------------------------------

#[derive(Debug, Clone)]
enum Change {
    AddOffer { vm: u32 },
    Book { offer: u64 },
    Stop { booking: u64 },
    Remove { offer: u64 },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u32..2).prop_map(|vm| Change::AddOffer { vm }),
        (0u64..40).prop_map(|offer| Change::Book { offer }),
        (0u64..40).prop_map(|booking| Change::Stop { booking }),
        (0u64..40).prop_map(|offer| Change::Remove { offer }),
    ]
}

fn apply_change(world: &mut World, change: &Change) {
    let (miner, user) = (account(2), account(1));
    let _ = match *change {
        Change::AddOffer { vm } => world.broker.add_offer(miner, vm, 1, 1, [0; 32]).map(drop),
        Change::Book { offer } => world.broker.book_vm(user, offer, 1, world.now).map(drop),
        Change::Stop { booking } => world
            .broker
            .stop_booking(user, booking, StopReason::Ok, world.now)
            .map(drop),
        Change::Remove { offer } => world.broker.remove_offer(miner, offer).map(drop),
    };
}

fn available(world: &World, vm: Option<u32>) -> BTreeSet<u64> {
    walk(|cursor| world.broker.available_offers(vm, cursor, 100))
        .into_iter()
        .collect()
}

#[test]
fn paging_while_offers_come_and_go_skips_and_repeats_nothing_that_stayed() {
    let mut runner = fixed_seed_runner(env_count("P2PCLOUD_SEQUENCES", 10_000) / 10);
    let result = runner.run(
        &(
            proptest::collection::vec(change(), 0..40),
            proptest::collection::vec(proptest::collection::vec(change(), 0..4), 1..30),
            prop_oneof![Just(None), (0u32..2).prop_map(Some)],
            1u32..4,
        ),
        |(setup, between_pages, vm, limit)| {
            let mut world = World::new(START);
            world.ledger_mut().mint(account(1), 1 << 60);
            world.deposit(account(1), 1 << 60).unwrap();
            setup.iter().for_each(|c| apply_change(&mut world, c));
            let mut stayed = available(&world, vm);
            let (mut seen, mut cursor, mut pages) = (Vec::new(), None, between_pages.iter());
            loop {
                let page = world.broker.available_offers(vm, cursor, limit).unwrap();
                seen.extend(page.items.iter().map(|(id, _)| *id));
                let Some(next) = page.next else { break };
                cursor = Some(next);
                for change in pages.next().into_iter().flatten() {
                    apply_change(&mut world, change);
                    stayed = &stayed & &available(&world, vm);
                }
            }
            let unique: BTreeSet<u64> = seen.iter().copied().collect();
            prop_assert_eq!(unique.len(), seen.len(), "an offer came twice: {:?}", seen);
            prop_assert!(stayed.is_subset(&unique), "skipped {:?}", &stayed - &unique);
            Ok(())
        },
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}
