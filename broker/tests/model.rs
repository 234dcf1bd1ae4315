//! Model-based property tests of the broker core: random sequences of every
//! operation by several accounts, with valid and invalid ids, amounts, times
//! and token failures, run through `broker::model`, which checks every step
//! against aggregates recomputed from scratch and the money invariants.
//!
//! `cargo test -p broker --test model` runs `P2PCLOUD_SEQUENCES` sequences
//! (10 000 by default); the ignored `campaign` test runs `P2PCLOUD_OPS`
//! operations (1 000 000 by default) and prints how many ran.
//!
//! Two targeted properties have their own files: fair pay when a user runs
//! short (`model/fair_pay.rs`) and paging under changes (`model/paging.rs`).
// Cargo builds every file directly in tests/ as a test of its own, so this
// test's modules live in model/.
#[path = "model/fair_pay.rs"]
mod fair_pay;
#[path = "model/paging.rs"]
mod paging;

use broker::{
    memory::World,
    model::{run, step, who, History, Op, START},
    types::*,
};
use p2pcloud_common::testing::TokenBehaviour;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{RngAlgorithm, TestRng, TestRunner},
};

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
        2 => (caller(), amount()).prop_map(|(caller, limit)| Op::WithdrawUpTo { caller, limit }),
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
        1 => (0u128..1_000).prop_map(|amount| Op::Donate { amount }),
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

/// A deposit reads the broker's token balance once: tokens donated to the
/// broker (owned by no account) make up what a lying token did not move,
/// never more than themselves, and every invariant holds through it.
#[test]
fn a_donation_makes_up_a_lying_deposit_only_up_to_itself() {
    let mut world = World::new(START);
    let mut history = History::default();
    let mut step_ok = |world: &mut World, op: Op| {
        step(world, &mut history, &op).unwrap_or_else(|error| panic!("{op:?}: {error}"));
    };
    let lies = Op::TokenFails {
        behaviour: TokenBehaviour::Lies,
    };
    step_ok(
        &mut world,
        Op::Deposit {
            caller: 1,
            amount: 100,
        },
    );
    step_ok(&mut world, Op::Donate { amount: 30 });
    step_ok(&mut world, lies.clone());
    step_ok(
        &mut world,
        Op::Deposit {
            caller: 2,
            amount: 31,
        },
    );
    assert_eq!(world.balance(who(2)), 0, "31 is more than was donated");
    step_ok(&mut world, lies.clone());
    step_ok(
        &mut world,
        Op::Deposit {
            caller: 2,
            amount: 30,
        },
    );
    assert_eq!(world.balance(who(2)), 30, "the donation made it up");
    step_ok(&mut world, lies);
    step_ok(
        &mut world,
        Op::Deposit {
            caller: 3,
            amount: 1,
        },
    );
    assert_eq!(world.balance(who(3)), 0, "the donation is used up");
    step_ok(
        &mut world,
        Op::Withdraw {
            caller: 2,
            amount: 30,
        },
    );
    step_ok(
        &mut world,
        Op::Withdraw {
            caller: 1,
            amount: 100,
        },
    );
    assert_eq!(world.broker.config.total_deposits, 0);
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
