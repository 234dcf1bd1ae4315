//! Model-based property tests of the broker core: random sequences of every
//! operation by several accounts, with valid and invalid ids, amounts, times
//! and token failures, run through `broker::model`, which checks every step
//! against aggregates recomputed from scratch and the money invariants.
//!
//! `cargo test -p broker --test model` runs `P2PCLOUD_SEQUENCES` sequences
//! (10 000 by default); the ignored `campaign` test runs `P2PCLOUD_OPS`
//! operations (1 000 000 by default) and prints how many ran.
use broker::{
    model::{run, Op},
    types::*,
};
use p2pcloud_common::testing::TokenBehaviour;
use proptest::{prelude::*, strategy::ValueTree, test_runner::TestRunner};

/// Callers: 1-4 are users and miners, 0xC0 is the community, 9 a stranger.
fn caller() -> impl Strategy<Value = u8> {
    prop_oneof![4 => 1u8..=4, 1 => Just(0xC0), 1 => Just(9)]
}

fn price() -> impl Strategy<Value = Balance> {
    prop_oneof![8 => 1u128..50, 1 => Just(0), 1 => Just(MAX_PRICE_PER_SECOND), 1 => Just(u128::MAX)]
}

fn amount() -> impl Strategy<Value = Balance> {
    prop_oneof![
        6 => 0u128..200_000_000,
        1 => Just(0),
        1 => Just(u128::MAX),
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
        2 => (caller(), amount()).prop_map(|(caller, amount)| Op::Withdraw { caller, amount }),
        2 => (caller(), -2i8..=2).prop_map(|(caller, delta)| Op::WithdrawFree { caller, delta }),
        4 => (caller(), id()).prop_map(|(caller, offer)| Op::Book { caller, offer }),
        3 => (caller(), id()).prop_map(|(caller, booking)| Op::Claim { caller, booking }),
        2 => (caller(), id(), reason())
            .prop_map(|(caller, booking, reason)| Op::Stop { caller, booking, reason }),
        1 => (caller(), prop_oneof![0u16..3_000, Just(u16::MAX)])
            .prop_map(|(caller, bps)| Op::SetFee { caller, bps }),
        1 => caller().prop_map(|caller| Op::SetStablecoin { caller }),
        4 => prop_oneof![0u64..5_000, 0u64..(8 * 24 * 3_600_000)].prop_map(|ms| Op::Advance { ms }),
        1 => prop_oneof![
            Just(TokenBehaviour::Rejects),
            Just(TokenBehaviour::Traps),
            Just(TokenBehaviour::Lies),
        ]
        .prop_map(|behaviour| Op::TokenFails { behaviour }),
    ]
}

fn env_count(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_operation_sequences_keep_every_invariant() {
    let cases = env_count("P2PCLOUD_SEQUENCES", 10_000);
    let mut runner = TestRunner::new(ProptestConfig::with_cases(cases));
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
