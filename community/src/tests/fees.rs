//! Fee shares (`fees.rs`): collected, shared by weight, claimed or paid out
//! in batches; the books across stablecoin changes are in `fee_books.rs`.
use super::*;

impl World {
    fn pay_out(&mut self, start: u32, limit: u32) -> Result<(u32, Events), CommunityError> {
        self.community
            .pay_out_shares(start, limit, &mut self.broker)
    }
}

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

#[test]
fn fees_that_arrive_short_are_refused_and_nothing_is_shared() {
    let mut world = world();
    let before = world.community.clone();
    world.broker.shortfall = 1;
    let broker = world.broker.clone();
    assert_eq!(
        world.collect(600),
        Err(CommunityError::TokenBalanceMismatch)
    );
    assert_eq!(world.community, before);
    // The chain reverts the failed message, the broker's side included; the
    // same shortfall stops a membership change, which collects first.
    world.broker = broker;
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

/// One balance read, after the withdrawal: tokens that nobody is owed (a
/// donation) can make up a short arrival, and only what is there is shared;
/// what the community owes its members never can.
#[test]
fn a_donation_can_make_up_a_short_arrival_never_what_is_owed() {
    let mut world = world();
    world.collect(600).unwrap();
    let owed = world.broker.balance_of(FIRST_TOKEN, THIS);
    world.broker.shortfall = 10;
    let (community, broker) = (world.community.clone(), world.broker.clone());
    assert_eq!(
        world.collect(100),
        Err(CommunityError::TokenBalanceMismatch)
    );
    assert_eq!(world.community, community);
    // The chain reverts the broker's side with the failed message.
    world.broker = broker;
    world.broker.ledger_mut(FIRST_TOKEN).mint(THIS, 10);
    let events = world.collect(100).unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: 100,
            token: FIRST_TOKEN
        })]
    );
    assert_eq!(world.broker.balance_of(FIRST_TOKEN, THIS), owed + 100);
    assert_eq!(
        world.community.held().collect::<Vec<_>>(),
        vec![(&FIRST_TOKEN, &(owed + 100))]
    );
}

/// Tokens taken from the community (seized, burnt by the issuer) leave it
/// short of what it owes. Membership changes, which collect first, still
/// pass while nothing waits in the broker; a collection that withdraws is
/// refused until the shortfall is sent back, since one read after cannot
/// tell it from a token that delivered less.
#[test]
fn a_community_left_short_still_changes_members_while_nothing_waits() {
    let mut world = world();
    world.collect(600).unwrap();
    let held = world.broker.balance_of(FIRST_TOKEN, THIS);
    world
        .broker
        .ledger_mut(FIRST_TOKEN)
        .balances
        .insert(THIS, held - 10);
    let join = Action::AddMember {
        account: account(0xD0),
        weight: 1,
    };
    world.pass(join, &[carol()]).unwrap();
    assert!(world.community.is_member(account(0xD0)));
    let broker = world.broker.clone();
    assert_eq!(
        world.collect(100),
        Err(CommunityError::TokenBalanceMismatch)
    );
    world.broker = broker;
    world.broker.ledger_mut(FIRST_TOKEN).mint(THIS, 10);
    world.collect(100).unwrap();
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
