//! Model-based property tests of the community core: random sequences of
//! proposals, votes, executions, fee collections and claims, checked after
//! every step. `P2PCLOUD_SEQUENCES` sets how many (10 000 by default).
use community::{
    events::CommunityEvent,
    memory::{FakeBroker, MemoryCommunity},
    types::*,
    CommunityError,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{
    testing::{MemoryPsp22, TokenBehaviour},
    CheckedToken,
};
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
    ]
}

#[derive(Debug, Clone, PartialEq)]
struct World {
    community: MemoryCommunity,
    token: CheckedToken<MemoryPsp22>,
    now: Timestamp,
    /// Fees waiting in the broker for the community.
    in_broker: Balance,
    /// What each account is entitled to, scaled by `SHARE_PRECISION`: every
    /// arrival of fees shared by the weights in force when it arrived.
    entitled: BTreeMap<AccountId, u128>,
    /// What each account claimed.
    claimed: BTreeMap<AccountId, Balance>,
    /// The largest total weight fees arrived under: bounds, in scaled units,
    /// the rounding rest one collection carries into the next.
    largest_weight: u128,
    /// Each proposal as the model counts it.
    tallies: BTreeMap<ProposalId, Tally>,
}

/// A proposal's votes as the model counts them, with the weight it was made
/// under: what its state must follow from.
#[derive(Debug, Clone, PartialEq)]
struct Tally {
    created_at: Timestamp,
    base: u128,
    yes: u128,
    no: u128,
    voters: Vec<AccountId>,
    executed: bool,
}

impl Tally {
    /// The state the rules promise: voting for exactly the voting period; then
    /// passed if yes reached the quorum of the weight at creation and beat no,
    /// executable for exactly the execution period.
    fn state(&self, rules: &VotingRules, now: Timestamp) -> ProposalState {
        let voting_ends = self.created_at + rules.voting_period;
        if self.executed {
            ProposalState::Executed
        } else if now < voting_ends {
            ProposalState::Voting
        } else if self.yes * 10_000 < u128::from(rules.quorum_bps) * self.base
            || self.yes <= self.no
        {
            ProposalState::Rejected
        } else if now >= voting_ends + rules.execution_period {
            ProposalState::Expired
        } else {
            ProposalState::Passed
        }
    }
}

impl World {
    /// Pays the broker's waiting fees to the community's token account, as
    /// the broker does when the community withdraws them.
    fn broker(&mut self, refuse: bool) -> FakeBroker {
        FakeBroker {
            fees: self.in_broker,
            refuse_with: refuse.then_some(CommunityError::BrokerCallFailed),
            ..FakeBroker::default()
        }
    }
}

type Check = Result<(), TestCaseError>;

fn apply(world: &mut World, op: &Op) -> Result<Vec<CommunityEvent>, CommunityError> {
    match op {
        Op::Propose { caller, action } => {
            propose(world, who(*caller), action.clone()).map(|(_, events)| events)
        }
        Op::Vote {
            caller,
            proposal,
            yes,
        } => vote(world, who(*caller), *proposal, *yes),
        Op::Execute {
            proposal,
            broker_refuses,
        } => execute(world, *proposal, *broker_refuses),
        Op::Pass { action } => {
            let members: Vec<AccountId> = world
                .community
                .member_records()
                .filter(|(_, m)| m.weight > 0)
                .map(|(a, _)| *a)
                .collect();
            let (id, mut events) = propose(world, members[0], action.clone())?;
            for member in members {
                events.extend(vote(world, member, id, true)?);
            }
            world.now += PERIOD;
            let result = execute(world, id, false);
            // A refused action leaves its proposal behind, as on chain.
            events.extend(result.unwrap_or_default());
            Ok(events)
        }
        Op::FeesArrive { amount } => {
            // Shared, in the oracle, by the weights in force right now.
            let total = u128::from(world.community.config.total_weight);
            world.largest_weight = world.largest_weight.max(total);
            // Past u128 the oracle cannot say; such a share is left unbounded.
            let per_weight = amount.checked_mul(SHARE_PRECISION).map(|a| a / total);
            let shares: Vec<(AccountId, u128)> = world
                .community
                .member_records()
                .map(|(a, m)| {
                    let share = per_weight.and_then(|p| p.checked_mul(u128::from(m.weight)));
                    (*a, share.unwrap_or(u128::MAX))
                })
                .collect();
            for (account, share) in shares {
                let entitled = world.entitled.entry(account).or_default();
                *entitled = entitled.saturating_add(share);
            }
            world.in_broker += amount;
            Ok(Vec::new())
        }
        Op::Collect => {
            let mut broker = world.broker(false);
            let result = world.community.collect_fees(&mut broker);
            settle_broker(world, &broker, result.is_ok());
            result
        }
        Op::Claim { caller, token } => {
            world.token.api_mut().behaviour = *token;
            let result = world.community.claim_share(who(*caller), &mut world.token);
            world.token.api_mut().behaviour = TokenBehaviour::Honest;
            count_claims(world, result)
        }
        Op::PayOut {
            start,
            limit,
            token,
        } => {
            world.token.api_mut().behaviour = *token;
            let result = world
                .community
                .pay_out_shares(*start, *limit, &mut world.token)
                .map(|(_, events)| events);
            world.token.api_mut().behaviour = TokenBehaviour::Honest;
            count_claims(world, result)
        }
        Op::Advance { ms } => {
            world.now += ms;
            Ok(Vec::new())
        }
    }
}

fn propose(
    world: &mut World,
    caller: AccountId,
    action: Action,
) -> Result<(ProposalId, Vec<CommunityEvent>), CommunityError> {
    let base = u128::from(world.community.config.total_weight);
    let (id, events) = world
        .community
        .propose(caller, action, String::new(), world.now)?;
    let tally = Tally {
        created_at: world.now,
        base,
        yes: 0,
        no: 0,
        voters: Vec::new(),
        executed: false,
    };
    assert!(
        world.tallies.insert(id, tally).is_none(),
        "proposal id {id} reused"
    );
    Ok((id, events))
}

/// A vote counts only while the proposal is open, once per voter, with the
/// weight the voter holds.
fn vote(
    world: &mut World,
    voter: AccountId,
    id: ProposalId,
    yes: bool,
) -> Result<Vec<CommunityEvent>, CommunityError> {
    let weight = world
        .community
        .member_records()
        .find(|(a, _)| **a == voter)
        .map_or(0, |(_, m)| u128::from(m.weight));
    let events = world.community.vote(voter, id, yes, world.now)?;
    let rules = world.community.config.rules;
    let tally = world
        .tallies
        .get_mut(&id)
        .expect("a vote on an unknown proposal succeeded");
    assert_eq!(
        tally.state(&rules, world.now),
        ProposalState::Voting,
        "vote outside voting"
    );
    assert!(weight > 0, "a vote without weight succeeded");
    assert!(
        !tally.voters.contains(&voter),
        "a second vote by {voter:?} succeeded"
    );
    tally.voters.push(voter);
    if yes {
        tally.yes += weight;
    } else {
        tally.no += weight;
    }
    Ok(events)
}

/// Only a passed proposal executes, and only once.
fn execute(
    world: &mut World,
    id: ProposalId,
    broker_refuses: bool,
) -> Result<Vec<CommunityEvent>, CommunityError> {
    let mut broker = world.broker(broker_refuses);
    let result = world.community.execute(id, world.now, &mut broker);
    settle_broker(world, &broker, result.is_ok());
    if result.is_ok() {
        let rules = world.community.config.rules;
        let tally = world
            .tallies
            .get_mut(&id)
            .expect("an unknown proposal executed");
        assert_eq!(
            tally.state(&rules, world.now),
            ProposalState::Passed,
            "executed unpassed"
        );
        tally.executed = true;
    }
    result
}

/// Adds what each `ShareClaimed` paid to the claimant's total.
fn count_claims(
    world: &mut World,
    result: Result<Vec<CommunityEvent>, CommunityError>,
) -> Result<Vec<CommunityEvent>, CommunityError> {
    for event in result.iter().flatten() {
        if let CommunityEvent::ShareClaimed(e) = event {
            *world.claimed.entry(e.member).or_default() += e.amount;
        }
    }
    result
}

/// What the broker paid out in `broker` reaches the community's token account.
fn settle_broker(world: &mut World, broker: &FakeBroker, succeeded: bool) {
    if succeeded {
        let paid = world.in_broker - broker.fees;
        world.in_broker = broker.fees;
        world.token.api_mut().mint(this(), paid);
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
    prop_assert_eq!(world.tallies.len() as u64, config.next_proposal_id);
    for (id, tally) in &world.tallies {
        prop_assert_eq!(
            community.proposal_state(*id, world.now),
            Some(tally.state(&config.rules, world.now)),
            "state of proposal {}",
            id
        );
    }
    for id in 0..config.next_proposal_id {
        let proposal = community.get_proposal(id).unwrap();
        prop_assert!(proposal.yes + proposal.no <= proposal.total_weight);
        prop_assert_eq!(proposal.executed, executions.get(&id) == Some(&1));
    }
    prop_assert!(executions.values().all(|n| *n <= 1));
    // Nobody receives fees that arrived before they held the weight: what an
    // account claimed and can claim is within what it was entitled to, give
    // or take a unit and the rounding rest carried between collections.
    for (account, _) in community.member_records() {
        let received =
            world.claimed.get(account).copied().unwrap_or(0) + community.claimable(*account);
        let entitled = world.entitled.get(account).copied().unwrap_or(0);
        let tolerance = SHARE_PRECISION + world.largest_weight;
        prop_assert!(
            received.saturating_mul(SHARE_PRECISION) <= entitled.saturating_add(tolerance),
            "{:?} received {} of an entitlement of {} units",
            account,
            received,
            entitled / SHARE_PRECISION
        );
    }
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
        community: MemoryCommunity::new(&members, rules, BrokerLink::At(who(0xB0))).unwrap(),
        token: CheckedToken::new(MemoryPsp22::new(this()), this()),
        now: START,
        in_broker: 0,
        entitled: BTreeMap::new(),
        claimed: BTreeMap::new(),
        largest_weight: 0,
        tallies: BTreeMap::new(),
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
