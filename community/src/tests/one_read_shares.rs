//! A current book's shares read the token once, after the transfer
//! (issue #27): the community must then hold exactly what it still owes.
//! Tokens it holds beyond that wait for the collection that shares them by
//! weight; a closed book's shares are paid exactly.
use super::{fee_books::new_token, *};

/// Runs an operation that must fail with `error`, checks it changed nothing
/// of the community's, and puts the tokens back as they were: on chain the
/// failed message reverts the transfer it made, which the ledger here keeps.
fn assert_reverted<T: core::fmt::Debug>(
    world: &mut World,
    error: CommunityError,
    operation: impl FnOnce(&mut World) -> Result<T, CommunityError>,
) {
    let (community, broker) = world.snapshot();
    assert_eq!(operation(world).unwrap_err(), error);
    assert_eq!(
        world.community, community,
        "a failed operation changed state"
    );
    world.broker = broker;
}

/// The attack a one-read payment must not open: tokens paid straight to the
/// community (a migration of its broker paying its fee balance, a donation,
/// a share another community paid it) are owed to every member by weight.
/// A payment that left what it cannot account for with the payee (as the
/// broker's withdrawals do) would let Carol claim them all, share by share.
#[test]
fn tokens_paid_straight_in_wait_for_the_collection_that_shares_them_by_weight() {
    let mut world = world();
    world.collect(8).unwrap();
    world.ledger().mint(this(), 12);
    assert_reverted(&mut world, CommunityError::TokenBalanceMismatch, |w| {
        w.claim(carol())
    });
    assert_reverted(&mut world, CommunityError::TokenBalanceMismatch, |w| {
        w.community.pay_out_shares(0, 3, &mut w.broker)
    });
    // Anyone's collection shares the 12 by weight, then every share is paid.
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.claim(carol()).unwrap(), 4 + 6);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(carol())
    });
    world
        .community
        .pay_out_shares(0, 3, &mut world.broker)
        .unwrap();
    assert_eq!(world.tokens(alice()), 2 + 3);
    assert_eq!(world.tokens(bob()), 2 + 3);
    assert_eq!(world.tokens(this()), 0);
}

/// A token that answers `Ok` and moves nothing leaves the community holding
/// the share beyond what it owes the others: refused, the share kept.
#[test]
fn a_lying_token_pays_no_share_and_the_share_stays() {
    let mut world = world();
    world.collect(8).unwrap();
    world.ledger().behaviour = TokenBehaviour::Lies;
    assert_reverted(&mut world, CommunityError::TokenBalanceMismatch, |w| {
        w.claim(carol())
    });
    world.ledger().behaviour = TokenBehaviour::Honest;
    assert_eq!(world.claim(carol()).unwrap(), 4);
}

/// A community left short (its tokens seized) pays no share of the current
/// book until the shortfall is back: one read cannot tell whose share it is
/// short of.
#[test]
fn a_community_left_short_pays_no_share_until_the_shortfall_is_back() {
    let mut world = world();
    world.collect(8).unwrap();
    world.ledger().balances.insert(this(), 5);
    assert_reverted(&mut world, CommunityError::TokenBalanceMismatch, |w| {
        w.claim(carol())
    });
    world.ledger().mint(this(), 3);
    assert_eq!(world.claim(carol()).unwrap(), 4);
}

/// No collection shares a closed book's token any more, so its shares are
/// paid exactly, reading before and after: tokens sent in that token keep
/// no claim waiting.
#[test]
fn a_closed_books_share_is_paid_exactly_beside_tokens_nobody_shares() {
    let mut world = world();
    world.collect(8).unwrap();
    world.finish_migration(0, new_token());
    world.collect(4).unwrap();
    world.broker.ledger_mut(FIRST_TOKEN).mint(this(), 5);
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 4);
    assert_eq!(world.broker.balance_of(FIRST_TOKEN, this()), 4 + 5);
}

/// A collection that cannot run (a broker that refuses this community, as
/// a successor's code may; a withdrawal whose tokens arrive short) keeps no
/// claim waiting on tokens sent to the community: `share_surplus` shares
/// them without asking the broker.
#[test]
fn tokens_sent_in_are_shared_without_the_broker_when_no_collection_can_run() {
    for (refusal, error) in [
        (
            Some(CommunityError::BrokerCallFailed),
            CommunityError::BrokerCallFailed,
        ),
        (None, CommunityError::TokenBalanceMismatch),
    ] {
        let mut world = world();
        world.collect(8).unwrap();
        world.ledger().mint(this(), 12);
        world.broker.fees = 20;
        world.broker.refuse_with = refusal;
        // Without a refusal, the broker's 20 arrive 13 short, which the
        // 12 sent in cannot make up.
        world.broker.shortfall = if refusal.is_none() { 13 } else { 0 };
        assert_reverted(&mut world, error, |w| {
            w.community.collect_fees(&mut w.broker)
        });
        assert_reverted(&mut world, CommunityError::TokenBalanceMismatch, |w| {
            w.claim(carol())
        });
        let events = world.community.share_surplus(&mut world.broker).unwrap();
        assert_eq!(
            events,
            vec![CommunityEvent::FeesCollected(FeesCollected {
                amount: 12,
                token: FIRST_TOKEN,
            })]
        );
        assert_eq!(world.claim(carol()).unwrap(), 4 + 6);
        assert_refused(&mut world, CommunityError::NothingToCollect, |w| {
            w.community.share_surplus(&mut w.broker)
        });
    }
}
