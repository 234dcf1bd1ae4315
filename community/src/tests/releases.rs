//! Releases (`proposals.rs`): approved by proposal, then queryable and listed.
use super::*;

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
