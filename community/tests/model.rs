//! Model-based property tests of the community core: random sequences of
//! proposals, votes, executions, fee collections, stablecoin changes and
//! claims, checked after every step. `P2PCLOUD_SEQUENCES` sets how many
//! (10 000 by default).
use community::{
    events::CommunityEvent,
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN},
    types::*,
    CommunityError,
};
use ink::primitives::{AccountId, Hash};
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

#[derive(Debug, Clone, PartialEq)]
struct World {
    community: MemoryCommunity,
    /// The broker with the fees waiting in it, and the token ledgers.
    broker: FakeBroker,
    now: Timestamp,
    /// What each account is entitled to in each token, scaled by
    /// `SHARE_PRECISION`: every arrival of fees shared by the weights in
    /// force when it arrived, in the token it arrived in.
    entitled: BTreeMap<(AccountId, AccountId), u128>,
    /// What each account claimed, by token.
    claimed: BTreeMap<(AccountId, AccountId), Balance>,
    /// Paid to the community by a migration and not yet taken into a book.
    /// (A collection takes all of it, emitting `FeesCollected` in its token.)
    unswept: BTreeMap<AccountId, Balance>,
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
    /// Every token ledger behaves as `behaviour` (the ledger of a token the
    /// broker never used is opened empty).
    fn tokens_behave(&mut self, behaviour: TokenBehaviour) {
        for token in [FIRST_TOKEN, who(0xE0), who(0xE1), who(0xE2)] {
            self.broker.ledger_mut(token).behaviour = behaviour;
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
            // Shared, in the oracle, by the weights in force right now, in
            // the broker's token.
            let token = world.broker.stablecoin;
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
                let entitled = world.entitled.entry((token, account)).or_default();
                *entitled = entitled.saturating_add(share);
            }
            world.broker.fees += amount;
            Ok(Vec::new())
        }
        Op::Collect => world.community.collect_fees(&mut world.broker),
        Op::Claim { caller, token } => {
            world.tokens_behave(*token);
            let result = world.community.claim_share(who(*caller), &mut world.broker);
            world.tokens_behave(TokenBehaviour::Honest);
            count_claims(world, result)
        }
        Op::PayOut {
            start,
            limit,
            token,
        } => {
            world.tokens_behave(*token);
            let result = world
                .community
                .pay_out_shares(*start, *limit, &mut world.broker)
                .map(|(_, events)| events);
            world.tokens_behave(TokenBehaviour::Honest);
            count_claims(world, result)
        }
        Op::ClaimClosed {
            caller,
            book,
            token,
        } => {
            world.tokens_behave(*token);
            let result = world
                .community
                .claim_closed_share(who(*caller), *book, &mut world.broker);
            world.tokens_behave(TokenBehaviour::Honest);
            count_claims(world, result)
        }
        Op::MigrationEnds { to } => {
            // Only a broker whose stablecoin the community followed pays it
            // in that token: its own stablecoin change collects first.
            let old = world.broker.stablecoin;
            if world.community.config.book.token == old {
                let paid = core::mem::take(&mut world.broker.fees);
                world.broker.ledger_mut(old).mint(this(), paid);
                *world.unswept.entry(old).or_default() += paid;
                world.broker.stablecoin = who(0xE0 + to);
            }
            Ok(Vec::new())
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
    world.broker.refuse_with = broker_refuses.then_some(CommunityError::BrokerCallFailed);
    let result = world.community.execute(id, world.now, &mut world.broker);
    world.broker.refuse_with = None;
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
            *world.claimed.entry((e.token, e.member)).or_default() += e.amount;
        }
    }
    result
}

fn check(world: &World, executions: &BTreeMap<ProposalId, u32>) -> Check {
    let community = &world.community;
    let config = &community.config;
    // Conservation, per token: the community holds what its books owe plus
    // what a migration paid it that no book took yet.
    let held: BTreeMap<AccountId, Balance> = community.held().map(|(t, h)| (*t, *h)).collect();
    for (token, ledger) in &world.broker.tokens {
        let owed = held.get(token).copied().unwrap_or(0);
        let unswept = world.unswept.get(token).copied().unwrap_or(0);
        prop_assert_eq!(
            ledger.api().balance(this()),
            owed + unswept,
            "token {:?}",
            token
        );
    }
    // What the current book owes is every member's share plus rounding.
    let book = &config.book;
    let owed_scaled: u128 = community
        .member_records()
        .map(|(account, _)| {
            let scaled = current_share_scaled(community, *account);
            assert_eq!(community.claimable(*account), scaled / SHARE_PRECISION);
            scaled
        })
        .sum();
    let owed_in_token = held.get(&book.token).copied().unwrap_or(0);
    prop_assert!(owed_scaled / SHARE_PRECISION <= owed_in_token);
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
    // account claimed and can claim in a token is within what it was
    // entitled to there, give or take a unit and the rounding rest carried
    // between collections, per book.
    let books = u128::from(config.book.id) + 1;
    for (account, _) in community.member_records() {
        for token in world.broker.tokens.keys() {
            let received = world.claimed.get(&(*token, *account)).copied().unwrap_or(0)
                + claimable_in(community, *token, *account);
            let entitled = world
                .entitled
                .get(&(*token, *account))
                .copied()
                .unwrap_or(0);
            let tolerance = (SHARE_PRECISION + world.largest_weight) * books;
            prop_assert!(
                received.saturating_mul(SHARE_PRECISION) <= entitled.saturating_add(tolerance),
                "{:?} received {} of an entitlement of {} units",
                account,
                received,
                entitled / SHARE_PRECISION
            );
        }
    }
    Ok(())
}

/// The member's share of the current book, scaled, as the oracle settles it.
fn current_share_scaled(community: &MemoryCommunity, account: AccountId) -> u128 {
    let config = &community.config;
    let member = community
        .member_records()
        .find(|(a, _)| **a == account)
        .unwrap()
        .1;
    let in_current_book = community.member_book(account) == config.book.id;
    let settled = if in_current_book {
        member.settled_per_weight
    } else {
        0
    };
    let owed = if in_current_book {
        member.owed_scaled
    } else {
        0
    };
    owed + (config.book.fees_per_weight - settled) * u128::from(member.weight)
}

/// What `account` can claim now in `token`, over the current and closed books.
fn claimable_in(community: &MemoryCommunity, token: AccountId, account: AccountId) -> Balance {
    let current = if community.config.book.token == token {
        community.claimable(account)
    } else {
        0
    };
    let closed: Balance = (0..community.config.book.id)
        .filter(|book| {
            community
                .closed_book(*book)
                .is_some_and(|b| b.token == token)
        })
        .map(|book| community.closed_claimable(book, account))
        .sum();
    current + closed
}

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
