//! Access-control matrix of the community: every state-changing message,
//! called by each kind of caller, against exactly who may call it.
//! `execute`, `collect_fees`, `share_surplus`, `pay_out_shares` and
//! `create_broker` are open to anyone by construction: their rules take no caller (the shell's test
//! executes as a stranger; the e2e tests pay out and create as one).
use community::{
    memory::{FakeBroker, MemoryCommunity, FIRST_TOKEN, THIS},
    types::*,
    CommunityError,
};
use ink::primitives::AccountId;
use p2pcloud_common::testing::{assert_access_matrix, Access::Only, AccessRow};

use p2pcloud_common::testing::START;
const RULES: VotingRules = VotingRules {
    quorum_bps: 5_000,
    voting_period: 1_000,
    execution_period: 1_000,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Member,
    /// Removed by a passed proposal, with a fee share left to claim.
    FormerMember,
    Miner,
    Stranger,
}
use Caller::*;

const CALLERS: [Caller; 4] = [Member, FormerMember, Miner, Stranger];

fn id(caller: Caller) -> AccountId {
    AccountId::from([caller as u8 + 1; 32])
}

struct World {
    community: MemoryCommunity,
    broker: FakeBroker,
    now: Timestamp,
}

/// Member and former member shared fees in a closed book and in the current
/// one; proposal 1 is open, proposal 2 passed.
fn world() -> World {
    let members = [(id(Member), 2), (id(FormerMember), 1)];
    let broker_at = BrokerLink::At(AccountId::from([0xB0; 32]));
    let mut community =
        MemoryCommunity::new(THIS, &members, RULES, broker_at, FIRST_TOKEN).unwrap();
    let mut broker = FakeBroker::with_fees(90);
    community.collect_fees(&mut broker).unwrap();
    broker.stablecoin = AccountId::from([0xE0; 32]);
    broker.fees = 90;
    community.collect_fees(&mut broker).unwrap();
    let remove = Action::RemoveMember {
        account: id(FormerMember),
    };
    community
        .propose(id(Member), remove, String::new(), START)
        .unwrap();
    community.vote(id(Member), 0, true, START).unwrap();
    community.execute(0, START + 1_000, &mut broker).unwrap();
    let now = START + 1_000;
    let fee = Action::Broker(BrokerCall::SetCommunityFee(1));
    community
        .propose(id(Member), fee.clone(), String::new(), now)
        .unwrap();
    community
        .propose(id(Member), fee, String::new(), now - 1_000 + 1)
        .unwrap();
    community.vote(id(Member), 2, true, now).unwrap();
    World {
        community,
        broker,
        now,
    }
}

type Row = AccessRow<'static, World, Caller, CommunityError>;

#[test]
fn every_message_answers_exactly_the_callers_allowed_to_use_it() {
    let matrix: Vec<Row> = vec![
        (
            "propose",
            |w, c| {
                let action = Action::Broker(BrokerCall::SetCommunityFee(2));
                w.community
                    .propose(c, action, String::new(), w.now)
                    .map(drop)
            },
            Only(&[Member], CommunityError::NotMember),
        ),
        (
            "vote",
            |w, c| w.community.vote(c, 1, true, w.now).map(drop),
            Only(&[Member], CommunityError::NotMember),
        ),
        (
            "claim_share",
            |w, c| w.community.claim_share(c, &mut w.broker).map(drop),
            Only(&[Member, FormerMember], CommunityError::NotMember),
        ),
        (
            "claim_closed_share",
            |w, c| {
                w.community
                    .claim_closed_share(c, 0, &mut w.broker)
                    .map(drop)
            },
            Only(&[Member, FormerMember], CommunityError::NotMember),
        ),
    ];
    assert_access_matrix(&CALLERS, id, world, &matrix);
}
