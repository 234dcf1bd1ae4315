//! Membership (`data.rs`): members added, reweighted and removed by proposal,
//! and what a change does to the votes under way.
use super::*;

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
