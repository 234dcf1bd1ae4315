//! Model-based property tests of the community core: random sequences of
//! proposals, votes, executions, fee collections and claims, checked after
//! every step. `P2PCLOUD_SEQUENCES` sets how many (10 000 by default).
use community::{
    data::BrokerPort, events::CommunityEvent, memory::MemoryCommunity, types::*, CommunityError,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{
    testing::{MemoryPsp22, TokenBehaviour},
    CheckedToken,
};
use proptest::{prelude::*, test_runner::TestRunner};
use std::collections::BTreeMap;

const START: Timestamp = 1_700_000_000_000;
const PERIOD: Timestamp = 10_000;

fn who(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}

fn this() -> AccountId {
    who(0xC0)
}

/// Pays whatever fees it is told to, or refuses everything.
#[derive(Debug, Clone, Default)]
struct FakeBroker {
    fees: Balance,
    refuse: bool,
}

impl BrokerPort for FakeBroker {
    fn call(&mut self, _call: &BrokerCall) -> Result<(), CommunityError> {
        if self.refuse {
            return Err(CommunityError::BrokerCallFailed);
        }
        Ok(())
    }

    fn withdraw_fees(&mut self) -> Result<Balance, CommunityError> {
        if self.refuse {
            return Err(CommunityError::BrokerCallFailed);
        }
        Ok(core::mem::take(&mut self.fees))
    }
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
    Collect {
        amount: Balance,
    },
    Claim {
        caller: u8,
        token: TokenBehaviour,
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
            .prop_map(|amount| Op::Collect { amount }),
        3 => (caller(), prop_oneof![
                8 => Just(TokenBehaviour::Honest),
                1 => Just(TokenBehaviour::Rejects),
                1 => Just(TokenBehaviour::Lies),
            ])
            .prop_map(|(caller, token)| Op::Claim { caller, token }),
        3 => prop_oneof![0u64..PERIOD, Just(PERIOD), 0u64..(3 * PERIOD)].prop_map(|ms| Op::Advance { ms }),
    ]
}

#[derive(Debug, Clone, PartialEq)]
struct World {
    community: MemoryCommunity,
    token: CheckedToken<MemoryPsp22>,
    now: Timestamp,
}

type Check = Result<(), TestCaseError>;

fn apply(world: &mut World, op: &Op) -> Result<Vec<CommunityEvent>, CommunityError> {
    let now = world.now;
    match op {
        Op::Propose { caller, action } => world
            .community
            .propose(who(*caller), action.clone(), String::new(), now)
            .map(|(_, events)| events),
        Op::Vote {
            caller,
            proposal,
            yes,
        } => world.community.vote(who(*caller), *proposal, *yes, now),
        Op::Execute {
            proposal,
            broker_refuses,
        } => {
            let mut broker = FakeBroker {
                fees: 0,
                refuse: *broker_refuses,
            };
            world.community.execute(*proposal, now, &mut broker)
        }
        Op::Collect { amount } => {
            let mut broker = FakeBroker {
                fees: *amount,
                refuse: false,
            };
            let result = world.community.collect_fees(&mut broker);
            if result.is_ok() {
                world.token.api_mut().mint(this(), *amount);
            }
            result
        }
        Op::Claim { caller, token } => {
            world.token.api_mut().behaviour = *token;
            let result = world.community.claim_share(who(*caller), &mut world.token);
            world.token.api_mut().behaviour = TokenBehaviour::Honest;
            result
        }
        Op::Advance { ms } => {
            world.now += ms;
            Ok(Vec::new())
        }
    }
}

fn check(world: &World, executions: &BTreeMap<ProposalId, u32>) -> Check {
    let community = &world.community;
    let config = &community.config;
    // Conservation: collected = claimed + what members can claim + rounding.
    let owed_scaled: u128 = community
        .member_records()
        .map(|(account, _)| {
            let claimable = community.claimable(*account);
            let member = community
                .member_records()
                .find(|(a, _)| *a == account)
                .unwrap()
                .1;
            let earned =
                (config.fees_per_weight - member.settled_per_weight) * u128::from(member.weight);
            let scaled = member.owed_scaled + earned;
            assert_eq!(claimable, scaled / SHARE_PRECISION);
            scaled
        })
        .sum();
    prop_assert_eq!(
        config.total_collected * SHARE_PRECISION,
        config.total_claimed * SHARE_PRECISION + owed_scaled + config.undistributed_scaled
    );
    prop_assert_eq!(
        world.token.api().balance(this()),
        config.total_collected - config.total_claimed
    );
    // Weights and counts agree with the member records.
    let weights: u64 = community.member_records().map(|(_, m)| m.weight).sum();
    let members = community
        .member_records()
        .filter(|(_, m)| m.weight > 0)
        .count();
    prop_assert_eq!(config.total_weight, weights);
    prop_assert_eq!(config.member_count as usize, members);
    prop_assert!(members >= 1);
    for id in 0..config.next_proposal_id {
        let proposal = community.get_proposal(id).unwrap();
        prop_assert!(proposal.yes + proposal.no <= proposal.total_weight);
        prop_assert_eq!(proposal.executed, executions.get(&id) == Some(&1));
    }
    prop_assert!(executions.values().all(|n| *n <= 1));
    Ok(())
}

fn run(ops: &[Op]) -> Check {
    let rules = VotingRules {
        quorum_bps: 4_000,
        voting_period: PERIOD,
        execution_period: PERIOD,
    };
    let members = [(who(1), 1), (who(2), 2), (who(3), 3)];
    let mut world = World {
        community: MemoryCommunity::new(&members, rules, who(0xB0)).unwrap(),
        token: CheckedToken::new(MemoryPsp22::new(this()), this()),
        now: START,
    };
    let mut executions = BTreeMap::new();
    for op in ops {
        let before = world.clone();
        match apply(&mut world, op) {
            Err(_) => prop_assert_eq!(&world, &before, "failed {:?} changed state", op),
            Ok(events) => {
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
    let mut runner = TestRunner::new(ProptestConfig::with_cases(cases));
    let result = runner.run(&proptest::collection::vec(op(), 1..40), |ops| run(&ops));
    if let Err(error) = result {
        panic!("{error}");
    }
    println!("community model: {cases} sequences passed");
}
