//! Unit tests of the env-free community core.
use crate::{
    data::{Events, NoBrokerYet},
    events::*,
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN, THIS},
    types::*,
    CommunityError,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{
    testing::{MemoryPsp22, TokenBehaviour},
    BrokerError, TokenCallLimits, MAX_PAGE_LIMIT,
};

use p2pcloud_common::testing::START;
const PERIOD: Timestamp = 60_000;
const RULES: VotingRules = VotingRules {
    quorum_bps: 5_000,
    voting_period: PERIOD,
    execution_period: PERIOD,
};

fn account(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}
fn alice() -> AccountId {
    account(1)
}
fn bob() -> AccountId {
    account(2)
}
fn carol() -> AccountId {
    account(3)
}
fn stranger() -> AccountId {
    account(9)
}
fn this() -> AccountId {
    THIS
}
fn broker_account() -> AccountId {
    account(0xB0)
}

/// A community at `this()` governing the broker at `broker_account()`.
fn community_of(
    members: &[(AccountId, Weight)],
    rules: VotingRules,
) -> Result<MemoryCommunity, CommunityError> {
    let broker = BrokerLink::At(broker_account());
    MemoryCommunity::new(this(), members, rules, broker, FIRST_TOKEN)
}

#[derive(Debug)]
struct World {
    community: MemoryCommunity,
    /// The broker, with the token ledgers.
    broker: FakeBroker,
    now: Timestamp,
}

fn world_of(members: &[(AccountId, Weight)]) -> World {
    World {
        community: community_of(members, RULES).unwrap(),
        broker: FakeBroker::default(),
        now: START,
    }
}

fn world() -> World {
    world_of(&[(alice(), 1), (bob(), 1), (carol(), 2)])
}

impl World {
    fn propose(&mut self, action: Action) -> ProposalId {
        let now = self.now;
        self.community
            .propose(alice(), action, "why".into(), now)
            .unwrap()
            .0
    }

    fn vote(
        &mut self,
        voter: AccountId,
        proposal_id: ProposalId,
        yes: bool,
    ) -> Result<Events, CommunityError> {
        let now = self.now;
        self.community.vote(voter, proposal_id, yes, now)
    }

    fn execute(&mut self, proposal_id: ProposalId) -> Result<Events, CommunityError> {
        let now = self.now;
        self.community.execute(proposal_id, now, &mut self.broker)
    }

    /// Proposes, lets `yes` vote yes, closes voting and executes.
    fn pass(&mut self, action: Action, yes: &[AccountId]) -> Result<Events, CommunityError> {
        let id = self.propose(action);
        for voter in yes {
            self.vote(*voter, id, true).unwrap();
        }
        self.now += PERIOD;
        self.execute(id)
    }

    /// `amount` of fees wait in the broker and are collected.
    fn collect(&mut self, amount: Balance) -> Result<Events, CommunityError> {
        self.broker.fees = amount;
        self.community.collect_fees(&mut self.broker)
    }

    /// Claims `member`'s share of the current book; what it received.
    fn claim(&mut self, member: AccountId) -> Result<Balance, CommunityError> {
        let token = self.community.config.book.token;
        let before = self.broker.balance_of(token, member);
        self.community.claim_share(member, &mut self.broker)?;
        Ok(self.broker.balance_of(token, member) - before)
    }

    /// The ledger of the broker's stablecoin now.
    fn ledger(&mut self) -> &mut MemoryPsp22 {
        let token = self.broker.stablecoin;
        self.broker.ledger_mut(token)
    }

    /// What `owner` holds of the broker's stablecoin now.
    fn tokens(&self, owner: AccountId) -> Balance {
        self.broker.balance_of(self.broker.stablecoin, owner)
    }

    fn snapshot(&self) -> (MemoryCommunity, FakeBroker) {
        (self.community.clone(), self.broker.clone())
    }
}

/// Runs an operation that must fail with `error` and change nothing.
fn assert_refused<T: core::fmt::Debug>(
    world: &mut World,
    error: CommunityError,
    operation: impl FnOnce(&mut World) -> Result<T, CommunityError>,
) {
    let before = world.snapshot();
    assert_eq!(operation(world).unwrap_err(), error);
    assert_eq!(world.snapshot(), before, "a failed operation changed state");
}

// ---- instantiation -------------------------------------------------------------

#[test]
fn instantiation_validates_members_and_rules() {
    let new = |members: &[(AccountId, Weight)], rules: VotingRules| {
        community_of(members, rules).map(|_| ())
    };
    assert_eq!(new(&[], RULES), Err(CommunityError::NoMembers));
    assert_eq!(new(&[(alice(), 0)], RULES), Err(CommunityError::ZeroWeight));
    assert_eq!(
        new(&[(alice(), 1), (alice(), 2)], RULES),
        Err(CommunityError::AlreadyMember)
    );
    let many: Vec<_> = (0..=MAX_INITIAL_MEMBERS)
        .map(|i| (account(i as u8), 1))
        .collect();
    assert_eq!(new(&many, RULES), Err(CommunityError::TooManyMembers));
    for quorum_bps in [0, 10_001] {
        let rules = VotingRules {
            quorum_bps,
            ..RULES
        };
        assert_eq!(
            new(&[(alice(), 1)], rules),
            Err(CommunityError::QuorumOutOfRange)
        );
    }
    let rules = VotingRules {
        voting_period: 0,
        ..RULES
    };
    assert_eq!(
        new(&[(alice(), 1)], rules),
        Err(CommunityError::ZeroVotingPeriod)
    );
    let rules = VotingRules {
        quorum_bps: 10_000,
        ..RULES
    };
    assert_eq!(new(&[(alice(), 1)], rules), Ok(()));

    let world = world();
    assert_eq!(world.community.config.total_weight, 4);
    assert_eq!(world.community.config.member_count, 3);
}

// ---- proposals and votes ---------------------------------------------------------

#[test]
fn only_members_propose_valid_actions() {
    let mut world = world();
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.community.propose(
            stranger(),
            Action::RemoveMember { account: bob() },
            String::new(),
            w.now,
        )
    });
    assert_refused(&mut world, CommunityError::DescriptionTooLong, |w| {
        w.community.propose(
            alice(),
            Action::RemoveMember { account: bob() },
            "x".repeat(MAX_DESCRIPTION_LEN + 1),
            w.now,
        )
    });
    assert_refused(&mut world, CommunityError::ZeroWeight, |w| {
        w.community.propose(
            alice(),
            Action::AddMember {
                account: stranger(),
                weight: 0,
            },
            String::new(),
            w.now,
        )
    });
    // A weight changed to zero would remove the member by another name.
    assert_refused(&mut world, CommunityError::ZeroWeight, |w| {
        w.community.propose(
            alice(),
            Action::ChangeWeight {
                account: bob(),
                weight: 0,
            },
            String::new(),
            w.now,
        )
    });
    let release = Release {
        kind: ReleaseKind::Sdk,
        name: "n".repeat(MAX_RELEASE_FIELD_LEN + 1),
        version: "1.0.0".into(),
        content_hash: Hash::from([1; 32]),
    };
    assert_refused(&mut world, CommunityError::ReleaseFieldTooLong, |w| {
        w.community.propose(
            alice(),
            Action::ApproveRelease(release),
            String::new(),
            w.now,
        )
    });
    let action = Action::Broker(BrokerCall::SetCommunityFee(100));
    let (id, events) = world
        .community
        .propose(bob(), action.clone(), "lower fee".into(), world.now)
        .unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::ProposalCreated(ProposalCreated {
            proposal_id: id,
            proposer: bob(),
            action,
            voting_ends: START + PERIOD,
        })]
    );
    let proposal = world.community.get_proposal(id).unwrap();
    assert_eq!(
        (proposal.total_weight, proposal.yes, proposal.no),
        (4, 0, 0)
    );
    assert_eq!(
        world.community.proposal_state(id, world.now),
        Some(ProposalState::Voting)
    );
}

#[test]
fn each_member_votes_once_while_voting_is_open() {
    let mut world = world();
    let id = world.propose(Action::RemoveMember { account: bob() });
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.vote(stranger(), id, true)
    });
    assert_refused(&mut world, CommunityError::UnknownProposal, |w| {
        w.vote(alice(), 99, true)
    });
    let events = world.vote(carol(), id, false).unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::Voted(Voted {
            proposal_id: id,
            voter: carol(),
            yes: false,
            weight: 2
        })]
    );
    assert_refused(&mut world, CommunityError::AlreadyVoted, |w| {
        w.vote(carol(), id, true)
    });
    assert_refused(&mut world, CommunityError::AlreadyVoted, |w| {
        w.vote(carol(), id, false)
    });
    assert_eq!(world.community.vote_of(id, carol()), Some(false));
    world.now += PERIOD;
    assert_refused(&mut world, CommunityError::VotingClosed, |w| {
        w.vote(alice(), id, true)
    });
}

#[test]
fn quorum_and_majority_decide() {
    // Weights 1, 1, 2 (total 4), quorum 50%: 2 yes is exactly the quorum.
    let cases: [(&[(AccountId, bool)], ProposalState); 5] = [
        (&[(carol(), true)], ProposalState::Passed),
        (&[(alice(), true)], ProposalState::Rejected),
        (
            &[(alice(), true), (bob(), true), (carol(), false)],
            ProposalState::Rejected,
        ),
        (
            &[(alice(), true), (bob(), true), (carol(), true)],
            ProposalState::Passed,
        ),
        (&[(carol(), true), (alice(), false)], ProposalState::Passed),
    ];
    for (votes, expected) in cases {
        let mut world = world();
        let id = world.propose(Action::RemoveMember { account: bob() });
        for (voter, yes) in votes {
            world.vote(*voter, id, *yes).unwrap();
        }
        world.now += PERIOD - 1;
        assert_eq!(
            world.community.proposal_state(id, world.now),
            Some(ProposalState::Voting)
        );
        world.now += 1;
        assert_eq!(
            world.community.proposal_state(id, world.now),
            Some(expected),
            "{votes:?}"
        );
    }
}

#[test]
fn execution_waits_for_the_vote_happens_once_and_expires() {
    let mut world = world();
    let id = world.propose(Action::Broker(BrokerCall::SetCommunityFee(100)));
    world.vote(carol(), id, true).unwrap();
    assert_refused(&mut world, CommunityError::VotingOpen, |w| w.execute(id));
    world.now += PERIOD;
    let events = world.execute(id).unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::ProposalExecuted(ProposalExecuted {
            proposal_id: id
        })]
    );
    assert_eq!(world.broker.calls, vec![BrokerCall::SetCommunityFee(100)]);
    assert_refused(&mut world, CommunityError::AlreadyExecuted, |w| {
        w.execute(id)
    });
    assert_eq!(world.broker.calls.len(), 1);

    let late = world.propose(Action::Broker(BrokerCall::SetCommunityFee(200)));
    world.vote(carol(), late, true).unwrap();
    world.now += PERIOD * 2;
    assert_eq!(
        world.community.proposal_state(late, world.now),
        Some(ProposalState::Expired)
    );
    assert_refused(&mut world, CommunityError::Expired, |w| w.execute(late));

    let rejected = world.propose(Action::Broker(BrokerCall::SetCommunityFee(300)));
    world.now += PERIOD;
    assert_refused(&mut world, CommunityError::NotPassed, |w| {
        w.execute(rejected)
    });
    assert_refused(&mut world, CommunityError::UnknownProposal, |w| {
        w.execute(99)
    });
}

#[test]
fn a_failing_broker_call_leaves_the_proposal_executable() {
    let mut world = world();
    let id = world.propose(Action::Broker(BrokerCall::TerminateBooking(7)));
    world.vote(carol(), id, true).unwrap();
    world.now += PERIOD;
    world.broker.refuse_with = Some(CommunityError::Broker(BrokerError::UnknownBooking));
    assert_refused(
        &mut world,
        CommunityError::Broker(BrokerError::UnknownBooking),
        |w| w.execute(id),
    );
    world.broker.refuse_with = Some(CommunityError::BrokerCallFailed);
    assert_refused(&mut world, CommunityError::BrokerCallFailed, |w| {
        w.execute(id)
    });
    assert_eq!(
        world.community.proposal_state(id, world.now),
        Some(ProposalState::Passed)
    );
    world.broker.refuse_with = None;
    world.execute(id).unwrap();
    assert_eq!(world.broker.calls, vec![BrokerCall::TerminateBooking(7)]);
}

#[test]
fn every_broker_action_reaches_the_broker() {
    let calls = [
        BrokerCall::SetCommunityFee(100),
        BrokerCall::SetStablecoin(account(0x5D)),
        BrokerCall::SetCommunityContract(account(0xC1)),
        BrokerCall::UpgradeCode(Hash::from([3; 32])),
        BrokerCall::TerminateBooking(4),
        BrokerCall::SetTokenCallLimits(TokenCallLimits::default()),
    ];
    let mut world = world();
    for call in calls.clone() {
        world.pass(Action::Broker(call), &[carol()]).unwrap();
    }
    assert_eq!(world.broker.calls, calls.to_vec());
}

// ---- membership --------------------------------------------------------------------

#[test]
fn membership_changes_by_proposal() {
    let mut world = world();
    let events = world
        .pass(
            Action::AddMember {
                account: stranger(),
                weight: 3,
            },
            &[carol()],
        )
        .unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::MemberAdded(MemberAdded {
            account: stranger(),
            weight: 3
        })
    );
    assert_eq!(world.community.config.total_weight, 7);
    let events = world
        .pass(
            Action::ChangeWeight {
                account: stranger(),
                weight: 1,
            },
            &[carol(), stranger()],
        )
        .unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::WeightChanged(WeightChanged {
            account: stranger(),
            old_weight: 3,
            new_weight: 1
        })
    );
    let events = world
        .pass(
            Action::RemoveMember {
                account: stranger(),
            },
            &[carol(), stranger()],
        )
        .unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::MemberRemoved(MemberRemoved {
            account: stranger()
        })
    );
    assert_eq!(world.community.config.total_weight, 4);
    assert_eq!(world.community.config.member_count, 3);
    assert!(!world.community.is_member(stranger()));
}

#[test]
fn membership_actions_that_cannot_apply_are_refused_at_execution() {
    let mut world = world_of(&[(alice(), 1)]);
    for (action, error) in [
        (
            Action::AddMember {
                account: alice(),
                weight: 1,
            },
            CommunityError::AlreadyMember,
        ),
        (
            Action::RemoveMember { account: bob() },
            CommunityError::UnknownMember,
        ),
        (
            Action::ChangeWeight {
                account: bob(),
                weight: 1,
            },
            CommunityError::UnknownMember,
        ),
        (
            Action::RemoveMember { account: alice() },
            CommunityError::LastMember,
        ),
    ] {
        let id = world.propose(action);
        world.vote(alice(), id, true).unwrap();
        world.now += PERIOD;
        assert_refused(&mut world, error, |w| w.execute(id));
    }
}

#[test]
fn a_weight_change_during_a_vote_cannot_add_weight_to_it() {
    let mut world = world();
    // `raise` (carol 2 -> 10) and `add` (stranger, 5) are proposed just
    // before `open`, so they execute while `open` is still being voted on.
    let raise = world.propose(Action::ChangeWeight {
        account: carol(),
        weight: 10,
    });
    let add = world.propose(Action::AddMember {
        account: stranger(),
        weight: 5,
    });
    world.vote(carol(), raise, true).unwrap();
    world.vote(carol(), add, true).unwrap();
    world.now += 1;
    let open = world.propose(Action::RemoveMember { account: bob() });
    world.now = START + PERIOD;
    world.execute(raise).unwrap();
    world.execute(add).unwrap();
    assert_eq!(
        world.community.proposal_state(open, world.now),
        Some(ProposalState::Voting)
    );
    assert_refused(
        &mut world,
        CommunityError::WeightChangedSinceProposal,
        |w| w.vote(carol(), open, true),
    );
    assert_refused(
        &mut world,
        CommunityError::WeightChangedSinceProposal,
        |w| w.vote(stranger(), open, true),
    );
    // Members whose weight did not change still vote on it.
    world.vote(alice(), open, true).unwrap();
    // Proposals made after the change use the new weights.
    let later = world.propose(Action::RemoveMember { account: bob() });
    world.vote(carol(), later, true).unwrap();
    world.vote(stranger(), later, true).unwrap();
    assert_eq!(world.community.get_proposal(later).unwrap().yes, 15);
}

#[test]
fn a_removed_member_cannot_vote_or_propose() {
    let mut world = world();
    let open = world.propose(Action::AddMember {
        account: stranger(),
        weight: 1,
    });
    world
        .pass(Action::RemoveMember { account: bob() }, &[carol()])
        .unwrap();
    world.now = START;
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.vote(bob(), open, true)
    });
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.community.propose(
            bob(),
            Action::RemoveMember { account: alice() },
            String::new(),
            w.now,
        )
    });
}

// ---- releases -----------------------------------------------------------------------

#[test]
fn approved_releases_are_queryable_and_listed() {
    let mut world = world();
    let release = Release {
        kind: ReleaseKind::Protocol,
        name: "p2pcloud-protocol".into(),
        version: "1.2.0".into(),
        content_hash: Hash::from([5; 32]),
    };
    assert!(!world.community.is_release_approved(
        "p2pcloud-protocol",
        "1.2.0",
        Hash::from([5; 32])
    ));
    let events = world
        .pass(Action::ApproveRelease(release.clone()), &[carol()])
        .unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::ReleaseApproved(ReleaseApproved {
            release_id: 0,
            kind: ReleaseKind::Protocol,
            name: "p2pcloud-protocol".into(),
            version: "1.2.0".into(),
            content_hash: Hash::from([5; 32]),
        })
    );
    assert!(world
        .community
        .is_release_approved("p2pcloud-protocol", "1.2.0", Hash::from([5; 32])));
    assert!(!world.community.is_release_approved(
        "p2pcloud-protocol",
        "1.2.0",
        Hash::from([6; 32])
    ));
    assert!(!world.community.is_release_approved(
        "p2pcloud-protocol",
        "1.2.1",
        Hash::from([5; 32])
    ));
    let page = world.community.releases(None, 10).unwrap();
    assert_eq!(page.items, vec![(0, release.clone())]);
    let id = world.propose(Action::ApproveRelease(release));
    world.vote(carol(), id, true).unwrap();
    world.now += PERIOD;
    assert_refused(&mut world, CommunityError::ReleaseAlreadyApproved, |w| {
        w.execute(id)
    });
}

#[test]
fn proposal_pages_are_bounded() {
    let mut world = world();
    for _ in 0..5 {
        world.propose(Action::RemoveMember { account: bob() });
    }
    for limit in [0, MAX_PAGE_LIMIT + 1] {
        assert_eq!(
            world.community.proposals(None, limit).unwrap_err(),
            CommunityError::PageLimitOutOfRange
        );
    }
    let first = world.community.proposals(None, 2).unwrap();
    assert_eq!(
        first.items.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![0, 1]
    );
    let rest = world.community.proposals(first.next, 10).unwrap();
    assert_eq!(
        rest.items.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert_eq!(rest.next, None);
    assert_eq!(
        world.community.proposals(Some(6), 1).unwrap_err(),
        CommunityError::UnknownCursor
    );
}

// ---- fees ----------------------------------------------------------------------------

#[test]
fn fees_are_shared_by_weight_and_dust_stays_claimable() {
    let mut world = world_of(&[(alice(), 1), (bob(), 2)]);
    let events = world.collect(10).unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: 10,
            token: FIRST_TOKEN
        })]
    );
    assert_eq!(world.community.claimable(alice()), 3);
    assert_eq!(world.claim(alice()).unwrap(), 3);
    assert_eq!(world.claim(bob()).unwrap(), 6);
    // 10/3 per weight: a third of a unit each is left as dust, not lost.
    world.collect(2).unwrap();
    assert_eq!(world.claim(alice()).unwrap(), 1);
    assert_eq!(world.claim(bob()).unwrap(), 2);
    assert_eq!(world.community.config.book.collected, 12);
    assert_eq!(
        world.community.held().collect::<Vec<_>>(),
        [(&FIRST_TOKEN, &0)]
    );
    assert_eq!(world.tokens(this()), 0);
}

#[test]
fn a_weight_change_settles_the_share_earned_at_the_old_weight() {
    let mut world = world_of(&[(alice(), 1), (bob(), 1)]);
    world.collect(10).unwrap();
    world
        .pass(
            Action::ChangeWeight {
                account: alice(),
                weight: 3,
            },
            &[alice(), bob()],
        )
        .unwrap();
    world.collect(8).unwrap();
    assert_eq!(world.claim(alice()).unwrap(), 5 + 6);
    assert_eq!(world.claim(bob()).unwrap(), 5 + 2);
}

#[test]
fn a_removed_member_keeps_what_they_earned() {
    let mut world = world_of(&[(alice(), 1), (bob(), 1)]);
    world.collect(10).unwrap();
    world
        .pass(Action::RemoveMember { account: bob() }, &[alice(), bob()])
        .unwrap();
    world.collect(10).unwrap();
    assert_eq!(world.claim(bob()).unwrap(), 5);
    assert_eq!(world.claim(alice()).unwrap(), 15);
}

#[test]
fn claims_and_collections_refuse_what_is_not_there() {
    let mut world = world();
    assert_refused(&mut world, CommunityError::NothingToCollect, |w| {
        w.collect(0)
    });
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(alice())
    });
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.claim(stranger())
    });
    world.broker.refuse_with = Some(CommunityError::Broker(BrokerError::TokenCallFailed));
    assert_refused(
        &mut world,
        CommunityError::Broker(BrokerError::TokenCallFailed),
        |w| w.community.collect_fees(&mut w.broker),
    );
}

impl World {
    fn pay_out(&mut self, start: u32, limit: u32) -> Result<(u32, Events), CommunityError> {
        self.community
            .pay_out_shares(start, limit, &mut self.broker)
    }
}

#[test]
fn an_upgrade_of_the_community_passes_like_any_decision_and_only_the_newest_runs() {
    let mut world = world();
    let older = world.propose(Action::UpgradeCommunity(Hash::from([1; 32])));
    let newer = world.propose(Action::UpgradeCommunity(Hash::from([2; 32])));
    for proposal in [older, newer] {
        world.vote(carol(), proposal, true).unwrap();
    }
    world.now += PERIOD;
    let events = world.execute(newer).unwrap();
    assert_eq!(
        events,
        vec![
            CommunityEvent::CommunityCodeUpgraded(CommunityCodeUpgraded {
                code_hash: Hash::from([2; 32])
            }),
            CommunityEvent::ProposalExecuted(ProposalExecuted { proposal_id: newer }),
        ]
    );
    // The broker is not involved, and the stale upgrade cannot follow.
    assert!(world.broker.calls.is_empty());
    assert_refused(&mut world, CommunityError::Superseded, |w| w.execute(older));
}

#[test]
fn shares_are_paid_out_in_batches_to_members_who_never_claim() {
    let mut world = world();
    // Bob leaves with a share; then a newcomer joins.
    world.collect(8).unwrap();
    world
        .pass(Action::RemoveMember { account: bob() }, &[alice(), carol()])
        .unwrap();
    world
        .pass(
            Action::AddMember {
                account: account(0xD0),
                weight: 1,
            },
            &[alice(), carol()],
        )
        .unwrap();
    world.collect(12).unwrap();
    assert_eq!(world.claim(alice()).unwrap(), 2 + 3);
    // Records in the order the accounts first became members: alice, bob,
    // carol, the newcomer. Alice has nothing left; the batch skips her.
    let (next, events) = world.pay_out(0, 2).unwrap();
    assert_eq!(next, 2);
    assert_eq!(
        events,
        vec![CommunityEvent::ShareClaimed(ShareClaimed {
            member: bob(),
            amount: 2,
            token: FIRST_TOKEN,
        })]
    );
    let (next, events) = world.pay_out(next, MAX_PAYOUT_BATCH).unwrap();
    assert_eq!(next, 4);
    assert_eq!(
        events,
        vec![
            CommunityEvent::ShareClaimed(ShareClaimed {
                member: carol(),
                amount: 4 + 6,
                token: FIRST_TOKEN,
            }),
            CommunityEvent::ShareClaimed(ShareClaimed {
                member: account(0xD0),
                amount: 3,
                token: FIRST_TOKEN,
            }),
        ]
    );
    for member in [alice(), bob(), carol(), account(0xD0)] {
        assert_eq!(world.community.claimable(member), 0);
    }
    assert_eq!(world.tokens(bob()), 2);
    assert_eq!(world.tokens(carol()), 10);
    assert_eq!(world.tokens(this()), 0);
    // Nothing left: a batch pays nobody and changes nothing.
    let before = world.snapshot();
    assert_eq!(world.pay_out(0, 4).unwrap(), (4, Vec::new()));
    assert_eq!(world.snapshot(), before);
}

#[test]
fn payout_batches_are_bounded_and_start_at_a_record() {
    let mut world = world();
    world.collect(8).unwrap();
    for limit in [0, MAX_PAYOUT_BATCH + 1] {
        assert_refused(&mut world, CommunityError::BatchLimitOutOfRange, |w| {
            w.pay_out(0, limit)
        });
    }
    assert_refused(&mut world, CommunityError::PayoutStartOutOfRange, |w| {
        w.pay_out(3, 1)
    });
    assert_eq!(world.pay_out(2, 1).unwrap().0, 3);
    assert_eq!(world.pay_out(0, 3).unwrap().0, 3);
    // A token that fails pays nobody in the batch.
    world.collect(8).unwrap();
    world.ledger().behaviour = TokenBehaviour::Rejects;
    assert_refused(&mut world, CommunityError::TokenTransferRejected, |w| {
        w.pay_out(0, 3)
    });
}

/// Before `create_broker`, proposals that do not touch the broker pass;
/// those that do are refused with `NoBroker` and change nothing.
#[test]
fn proposals_pass_before_the_broker_exists_unless_they_call_it() {
    let plan = BrokerLink::Planned {
        code_hash: Hash::from([7; 32]),
        stablecoin: account(0xE0),
    };
    let mut community =
        MemoryCommunity::new(this(), &[(alice(), 1)], RULES, plan, account(0xE0)).unwrap();
    let actions = [
        Action::AddMember {
            account: bob(),
            weight: 1,
        },
        Action::Broker(BrokerCall::SetCommunityFee(100)),
    ];
    for (id, action) in actions.into_iter().enumerate() {
        community
            .propose(alice(), action, String::new(), START)
            .unwrap();
        community.vote(alice(), id as u64, true, START).unwrap();
    }
    let now = START + PERIOD;
    community.execute(0, now, &mut NoBrokerYet).unwrap();
    assert!(community.is_member(bob()));
    let before = community.clone();
    assert_eq!(
        community.execute(1, now, &mut NoBrokerYet),
        Err(CommunityError::NoBroker)
    );
    assert_eq!(community, before);
}

/// Before `create_broker` the port refuses every call that would move or
/// read money with `NoBroker`: a fee rule that reached it by mistake fails
/// instead of acting on a broker or a token that is not there.
#[test]
fn the_broker_before_it_exists_refuses_every_call_that_moves_or_reads_money() {
    use crate::data::{BrokerPort, FeeTokens};
    let token = AccountId::from([0x5D; 32]);
    assert_eq!(NoBrokerYet.withdraw(1), Err(CommunityError::NoBroker));
    assert_eq!(NoBrokerYet.stablecoin(), Err(CommunityError::NoBroker));
    assert_eq!(NoBrokerYet.balance(token), Err(CommunityError::NoBroker));
    assert_eq!(
        NoBrokerYet.send(token, alice(), 1),
        Err(CommunityError::NoBroker)
    );
    assert_eq!(
        NoBrokerYet.fees_waiting(),
        Ok(0),
        "no fees wait in no broker"
    );
}

#[test]
fn the_broker_is_created_once_from_the_plan_given_at_instantiation() {
    let plan = BrokerLink::Planned {
        code_hash: Hash::from([7; 32]),
        stablecoin: account(0xE0),
    };
    let mut community =
        MemoryCommunity::new(this(), &[(alice(), 1)], RULES, plan, account(0xE0)).unwrap();
    assert_eq!(community.broker(), Err(CommunityError::NoBroker));
    assert_eq!(
        community.broker_plan(),
        Ok((Hash::from([7; 32]), account(0xE0)))
    );
    assert_eq!(
        community.broker_created(account(0xB0)),
        Ok(vec![CommunityEvent::BrokerCreated(BrokerCreated {
            broker: account(0xB0)
        })])
    );
    assert_eq!(community.broker(), Ok(account(0xB0)));
    let before = community.clone();
    assert_eq!(community.broker_plan(), Err(CommunityError::BrokerExists));
    assert_eq!(
        community.broker_created(account(0xB1)),
        Err(CommunityError::BrokerExists)
    );
    assert_eq!(community, before);
}

#[test]
fn a_failed_payout_leaves_the_share_claimable() {
    let mut world = world();
    world.collect(8).unwrap();
    for (behaviour, error) in [
        (
            TokenBehaviour::Rejects,
            CommunityError::TokenTransferRejected,
        ),
        (TokenBehaviour::Traps, CommunityError::TokenCallFailed),
        (TokenBehaviour::Lies, CommunityError::TokenBalanceMismatch),
    ] {
        world.ledger().behaviour = behaviour;
        assert_refused(&mut world, error, |w| w.claim(carol()));
    }
    world.ledger().behaviour = TokenBehaviour::Honest;
    assert_eq!(world.claim(carol()).unwrap(), 4);
}

#[test]
fn release_names_and_versions_may_be_exactly_as_long_as_allowed() {
    let release = |name_len: usize, version_len: usize| Release {
        kind: ReleaseKind::Sdk,
        name: "n".repeat(name_len),
        version: "v".repeat(version_len),
        content_hash: Hash::from([9; 32]),
    };
    let longest = MAX_RELEASE_FIELD_LEN;
    for too_long in [release(longest + 1, 1), release(1, longest + 1)] {
        let mut world = world();
        let refused = world.community.propose(
            carol(),
            Action::ApproveRelease(too_long),
            String::new(),
            world.now,
        );
        assert_eq!(refused.unwrap_err(), CommunityError::ReleaseFieldTooLong);
    }
    let mut world = world();
    world
        .pass(
            Action::ApproveRelease(release(longest, longest)),
            &[carol()],
        )
        .unwrap();
    assert!(world.community.is_release_approved(
        &"n".repeat(longest),
        &"v".repeat(longest),
        Hash::from([9; 32])
    ));
}

#[test]
fn a_member_who_joins_or_gains_weight_gets_none_of_the_fees_that_arrived_before() {
    let newcomer = account(0xD0);
    // 600 arrive in the broker while alice, bob and carol weigh 1, 1 and 2.
    let mut world = world();
    world.broker.fees = 600;
    let events = world
        .pass(
            Action::AddMember {
                account: newcomer,
                weight: 4,
            },
            &[carol()],
        )
        .unwrap();
    // The change collected them first, for the weights they arrived under.
    assert_eq!(
        events[0],
        CommunityEvent::FeesCollected(FeesCollected {
            amount: 600,
            token: FIRST_TOKEN
        })
    );
    assert_eq!(world.community.claimable(newcomer), 0);
    assert_eq!(world.community.claimable(carol()), 300);
    assert_eq!(world.community.claimable(alice()), 150);

    // Likewise a weight raised after fees arrived.
    world.broker.fees = 800;
    world
        .pass(
            Action::ChangeWeight {
                account: alice(),
                weight: 8,
            },
            &[carol(), newcomer],
        )
        .unwrap();
    // 800 over weights 1, 1, 2, 4: alice's 100 at weight 1, not 8.
    assert_eq!(world.community.claimable(alice()), 150 + 100);
    assert_eq!(world.community.claimable(newcomer), 400);
}

#[test]
fn fees_that_arrive_short_are_refused_and_nothing_is_shared() {
    let mut world = world();
    let before = world.community.clone();
    world.broker.shortfall = 1;
    assert_eq!(
        world.collect(600),
        Err(CommunityError::TokenBalanceMismatch)
    );
    assert_eq!(world.community, before);
    // The chain reverts the failed message, the broker's side included; the
    // same shortfall stops a membership change, which collects first.
    world.broker.fees = 600;
    let join = Action::AddMember {
        account: account(0xD0),
        weight: 1,
    };
    assert_eq!(
        world.pass(join, &[carol()]).map(drop),
        Err(CommunityError::TokenBalanceMismatch)
    );
    assert_eq!(world.community.claimable(account(0xD0)), 0);
    assert!(!world.community.is_member(account(0xD0)));
}

#[test]
fn voting_rules_the_members_could_not_live_with_are_refused() {
    let new = |rules: VotingRules| community_of(&[(alice(), 1)], rules).map(|_| ());
    let never_executable = VotingRules {
        execution_period: 0,
        ..RULES
    };
    assert_eq!(
        new(never_executable),
        Err(CommunityError::ZeroExecutionPeriod)
    );
    let endless = VotingRules {
        voting_period: MAX_VOTING_PERIOD + 1,
        ..RULES
    };
    assert_eq!(new(endless), Err(CommunityError::VotingPeriodTooLong));
    let longest = VotingRules {
        voting_period: MAX_VOTING_PERIOD,
        execution_period: 1,
        ..RULES
    };
    assert_eq!(new(longest), Ok(()));
    assert_eq!(MAX_VOTING_PERIOD, 7_776_000_000);
}

#[test]
fn a_stale_decision_never_overwrites_a_newer_one() {
    let mut world = world();
    let fee = |bps| Action::Broker(BrokerCall::SetCommunityFee(bps));
    let older = world.propose(fee(100));
    let newer = world.propose(fee(200));
    for id in [older, newer] {
        world.vote(carol(), id, true).unwrap();
    }
    world.now += PERIOD;
    world.execute(newer).unwrap();
    assert_refused(&mut world, CommunityError::Superseded, |w| w.execute(older));
    assert_eq!(world.broker.calls, vec![BrokerCall::SetCommunityFee(200)]);
    // Other subjects are not held back by it.
    let release = world.propose(Action::ApproveRelease(Release {
        kind: ReleaseKind::Sdk,
        name: "sdk".into(),
        version: "1".into(),
        content_hash: Hash::from([1; 32]),
    }));
    let weight = world.propose(Action::ChangeWeight {
        account: bob(),
        weight: 5,
    });
    for id in [release, weight] {
        world.vote(carol(), id, true).unwrap();
    }
    world.now += PERIOD;
    world.execute(weight).unwrap();
    world.execute(release).unwrap();
}

#[test]
fn setting_a_weight_to_what_it_is_changes_nothing() {
    let mut world = world();
    let id = world.propose(Action::ChangeWeight {
        account: carol(),
        weight: 2,
    });
    world.vote(carol(), id, true).unwrap();
    let member_before = world.community.member(carol());
    world.now += PERIOD;
    let events = world.execute(id).unwrap();
    assert!(!events
        .iter()
        .any(|e| matches!(e, CommunityEvent::WeightChanged(_))));
    // Her record is untouched, `weight_since` too: no vote right is lost.
    assert_eq!(world.community.member(carol()), member_before);
}

mod fee_books;
