//! Instantiation (`data.rs`): the members and voting rules a community may
//! start with.
use super::*;

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
