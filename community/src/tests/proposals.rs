//! Proposals and votes (`proposals.rs`, `calls.rs`): who proposes and votes,
//! how a vote is decided, and how a decision executes, once and in order.
use super::*;

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
