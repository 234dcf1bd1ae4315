//! The oracle's world: the community, its broker, and what the model
//! expects of them; how each operation runs on it.
use super::{this, who, Op, PERIOD};
use community::{
    events::CommunityEvent,
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN},
    types::*,
    CommunityError,
};
use ink::primitives::AccountId;
use p2pcloud_common::testing::TokenBehaviour;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct World {
    pub(super) community: MemoryCommunity,
    /// The broker with the fees waiting in it, and the token ledgers.
    pub(super) broker: FakeBroker,
    pub(super) now: Timestamp,
    /// What each account is entitled to in each token, scaled by
    /// `SHARE_PRECISION`: every arrival of fees shared by the weights in
    /// force when it arrived, in the token it arrived in.
    pub(super) entitled: BTreeMap<(AccountId, AccountId), u128>,
    /// What each account claimed, by token.
    pub(super) claimed: BTreeMap<(AccountId, AccountId), Balance>,
    /// Paid to the community by a migration and not yet taken into a book.
    /// (A collection takes all of it, emitting `FeesCollected` in its token.)
    pub(super) unswept: BTreeMap<AccountId, Balance>,
    /// The largest total weight fees arrived under: bounds, in scaled units,
    /// the rounding rest one collection carries into the next.
    pub(super) largest_weight: u128,
    /// Each proposal as the model counts it.
    pub(super) tallies: BTreeMap<ProposalId, Tally>,
}

/// A proposal's votes as the model counts them, with the weight it was made
/// under: what its state must follow from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tally {
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
    pub(super) fn state(&self, rules: &VotingRules, now: Timestamp) -> ProposalState {
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

pub(super) fn apply(world: &mut World, op: &Op) -> Result<Vec<CommunityEvent>, CommunityError> {
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
        Op::Pass { action } => pass(world, action),
        Op::FeesArrive { amount } => {
            fees_arrive(world, *amount);
            Ok(Vec::new())
        }
        Op::Collect => world.community.collect_fees(&mut world.broker),
        Op::ShareSurplus => world.community.share_surplus(&mut world.broker),
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
            migration_ends(world, *to);
            Ok(Vec::new())
        }
        Op::Advance { ms } => {
            world.now += ms;
            Ok(Vec::new())
        }
    }
}

/// Every member votes yes on `action`, the vote ends and it executes.
fn pass(world: &mut World, action: &Action) -> Result<Vec<CommunityEvent>, CommunityError> {
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

/// `amount` of fees reach the broker, and the oracle records who is
/// entitled to them.
fn fees_arrive(world: &mut World, amount: Balance) {
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
}

/// The broker's migration to `who(0xE0 + to)` ends.
fn migration_ends(world: &mut World, to: u8) {
    // Only a broker whose stablecoin the community followed pays it
    // in that token: its own stablecoin change collects first.
    let old = world.broker.stablecoin;
    if world.community.config.book.token == old {
        let paid = core::mem::take(&mut world.broker.fees);
        world.broker.ledger_mut(old).mint(this(), paid);
        *world.unswept.entry(old).or_default() += paid;
        world.broker.stablecoin = who(0xE0 + to);
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
