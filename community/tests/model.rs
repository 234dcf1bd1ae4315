//! Model-based property tests of the community core: random sequences of
//! proposals, votes, executions, fee collections, stablecoin changes and
//! claims, checked after every step. `P2PCLOUD_SEQUENCES` sets how many
//! (10 000 by default).
//!
//! The operations and the test are here; the oracle's world and how each
//! operation runs on it in `model/oracle.rs`, the invariants checked after
//! every step in `model/invariants.rs`.
// Cargo builds every file directly in tests/ as a test of its own, so this
// test's modules live in model/.
#[path = "model/invariants.rs"]
mod invariants;
#[path = "model/oracle.rs"]
mod oracle;

use community::{
    events::CommunityEvent,
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN},
    types::*,
};
use ink::primitives::{AccountId, Hash};
use invariants::check;
use oracle::{apply, World};
use p2pcloud_common::testing::TokenBehaviour;
use proptest::{
    prelude::*,
    test_runner::{RngAlgorithm, TestRng, TestRunner},
};
use std::collections::BTreeMap;

use p2pcloud_common::testing::START;
const PERIOD: Timestamp = 10_000;

fn who(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}

fn this() -> AccountId {
    who(0xC0)
}

#[derive(Debug, Clone)]
enum Op {
    Propose {
        caller: u8,
        action: Action,
    },
    Vote {
        caller: u8,
        proposal: u64,
        yes: bool,
    },
    Execute {
        proposal: u64,
        broker_refuses: bool,
    },
    /// Every member votes yes on `action`, the vote ends and it executes.
    Pass {
        action: Action,
    },
    /// Fees reach the community's balance in the broker.
    FeesArrive {
        amount: Balance,
    },
    /// Collects what waits in the broker.
    Collect,
    /// Anyone shares what the community holds beyond its debts, without
    /// the broker.
    ShareSurplus,
    Claim {
        caller: u8,
        token: TokenBehaviour,
    },
    /// Anyone pays out a batch of shares.
    PayOut {
        start: u32,
        limit: u32,
        token: TokenBehaviour,
    },
    /// A closed book's share is claimed.
    ClaimClosed {
        caller: u8,
        book: u32,
        token: TokenBehaviour,
    },
    /// The broker's migration to `who(0xE0 + to)` ends: it pays what waits
    /// for the community in the old token straight to it, and switches.
    MigrationEnds {
        to: u8,
    },
    Advance {
        ms: u64,
    },
}

/// Members start as 1, 2, 3; 4 and 5 may join; 9 never does.
fn caller() -> impl Strategy<Value = u8> {
    prop_oneof![5 => 1u8..=5, 1 => Just(9)]
}

fn weight() -> impl Strategy<Value = Weight> {
    prop_oneof![8 => 1u64..10, 1 => Just(0), 1 => Just(u64::MAX / 4)]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (1u8..=5, weight()).prop_map(|(a, weight)| Action::AddMember {
            account: who(a),
            weight
        }),
        (1u8..=5).prop_map(|a| Action::RemoveMember { account: who(a) }),
        (1u8..=5, weight()).prop_map(|(a, weight)| Action::ChangeWeight {
            account: who(a),
            weight
        }),
        (0u16..3_000).prop_map(|bps| Action::Broker(BrokerCall::SetCommunityFee(bps))),
        (0u8..3).prop_map(|a| Action::Broker(BrokerCall::SetStablecoin(who(0xE0 + a)))),
        (0u64..4).prop_map(|id| Action::Broker(BrokerCall::TerminateBooking(id))),
        Just(Action::Broker(BrokerCall::AcceptCommunity)),
        (0u8..2).prop_map(|v| Action::UpgradeCommunity(Hash::from([v; 32]))),
        (0u8..3).prop_map(|v| Action::ApproveRelease(Release {
            kind: ReleaseKind::Sdk,
            name: "sdk".into(),
            version: format!("1.{v}"),
            content_hash: Hash::from([v; 32]),
        })),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (caller(), action()).prop_map(|(caller, action)| Op::Propose { caller, action }),
        5 => (caller(), 0u64..6, any::<bool>())
            .prop_map(|(caller, proposal, yes)| Op::Vote { caller, proposal, yes }),
        3 => (0u64..6, prop::bool::weighted(0.1))
            .prop_map(|(proposal, broker_refuses)| Op::Execute { proposal, broker_refuses }),
        2 => prop_oneof![0u128..1_000, Just(0), 0u128..(1u128 << 100)]
            .prop_map(|amount| Op::FeesArrive { amount }),
        2 => Just(Op::Collect),
        1 => Just(Op::ShareSurplus),
        2 => action().prop_map(|action| Op::Pass { action }),
        3 => (caller(), prop_oneof![
                8 => Just(TokenBehaviour::Honest),
                1 => Just(TokenBehaviour::Rejects),
                1 => Just(TokenBehaviour::Lies),
            ])
            .prop_map(|(caller, token)| Op::Claim { caller, token }),
        2 => (0u32..7, 0u32..=MAX_PAYOUT_BATCH + 1, prop_oneof![
                8 => Just(TokenBehaviour::Honest),
                1 => Just(TokenBehaviour::Lies),
            ])
            .prop_map(|(start, limit, token)| Op::PayOut { start, limit, token }),
        3 => prop_oneof![0u64..PERIOD, Just(PERIOD), 0u64..(3 * PERIOD)].prop_map(|ms| Op::Advance { ms }),
        2 => (caller(), 0u32..3, prop_oneof![
                8 => Just(TokenBehaviour::Honest),
                1 => Just(TokenBehaviour::Rejects),
            ])
            .prop_map(|(caller, book, token)| Op::ClaimClosed { caller, book, token }),
        1 => (0u8..3).prop_map(|to| Op::MigrationEnds { to }),
    ]
}

type Check = Result<(), TestCaseError>;

fn run(ops: &[Op]) -> Check {
    let rules = VotingRules {
        quorum_bps: 4_000,
        voting_period: PERIOD,
        execution_period: PERIOD,
    };
    let members = [(who(1), 1), (who(2), 2), (who(3), 3)];
    let mut world = World {
        community: MemoryCommunity::new(
            this(),
            &members,
            rules,
            BrokerLink::At(who(0xB0)),
            FIRST_TOKEN,
        )
        .unwrap(),
        broker: FakeBroker::default(),
        now: START,
        entitled: BTreeMap::new(),
        claimed: BTreeMap::new(),
        unswept: BTreeMap::new(),
        largest_weight: 0,
        tallies: BTreeMap::new(),
    };
    let mut executions = BTreeMap::new();
    for op in ops {
        let before = world.clone();
        match apply(&mut world, op) {
            Err(_) => {
                // The chain reverts the broker's and the tokens' side too.
                world.broker = before.broker.clone();
                prop_assert_eq!(&world, &before, "failed {:?} changed state", op)
            }
            Ok(events) => {
                // Every collection in a token first takes what was paid
                // straight to the community in it.
                for event in &events {
                    if let CommunityEvent::FeesCollected(e) = event {
                        world.unswept.remove(&e.token);
                    }
                }
                for event in events {
                    if let CommunityEvent::ProposalExecuted(e) = event {
                        *executions.entry(e.proposal_id).or_insert(0) += 1;
                    }
                }
            }
        }
        check(&world, &executions)?;
    }
    Ok(())
}

#[test]
fn random_governance_and_fee_sequences_keep_every_invariant() {
    let cases = std::env::var("P2PCLOUD_SEQUENCES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // The same sequences every run, so CI is never flaky.
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::with_cases(cases),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| run(&ops));
    if let Err(error) = result {
        panic!("{error}");
    }
    println!("community model: {cases} sequences passed");
}
