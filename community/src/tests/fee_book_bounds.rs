//! Fee-book bounds (second audit, with `fee_books.rs`): every book and the
//! members' total weight stay within the bounds that keep the fee arithmetic
//! exact, and neither the community nor its broker holds a share.
use super::fee_books::new_token;
use super::*;

#[test]
fn a_book_takes_at_most_its_bound_and_the_rest_opens_a_new_book_in_the_same_token() {
    // More than 2^128 / 10^12 units used to overflow every collection for
    // good; weights at the top of their range.
    let mut world = world_of(&[(alice(), 1), (bob(), MAX_TOTAL_WEIGHT - 1)]);
    let collected = 2 * MAX_BOOK_FEES + 7;
    world.broker.fees = collected;
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.community.config.book.collected, MAX_BOOK_FEES);
    assert_eq!(world.broker.fees, MAX_BOOK_FEES + 7);
    let events = world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::FeeBookOpened(FeeBookOpened {
            book: 1,
            token: FIRST_TOKEN
        })
    );
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.community.config.book.id, 2);
    assert_eq!(world.broker.fees, 0);
    // Every share is paid, in the one token: what stays is under a unit per
    // member and book, and the rounding rest, under 2^32 / 2^17 units.
    let mut paid = 0;
    for member in [alice(), bob()] {
        for book in [0, 1] {
            paid += world.claim_closed(member, book, FIRST_TOKEN).unwrap_or(0);
        }
        paid += world.claim(member).unwrap_or(0);
    }
    let rest = u128::from(MAX_TOTAL_WEIGHT) / SHARE_PRECISION;
    assert!(paid <= collected && paid + 6 + rest >= collected);
    assert_eq!(
        world.broker.balance_of(FIRST_TOKEN, this()),
        collected - paid
    );
    assert_eq!(
        world.community.held().collect::<Vec<_>>(),
        [(&FIRST_TOKEN, &(collected - paid))]
    );
}

#[test]
fn a_community_weighing_more_than_the_bound_can_still_lower_its_weights() {
    // Layout 1 allowed any total: alice weighs 2^40 after a migration.
    let mut world = world_of(&[(alice(), 1)]);
    let heavy = Member {
        weight: 1 << 40,
        ..world.community.members.get(&alice()).unwrap().clone()
    };
    world.community.members.insert(alice(), heavy);
    world.community.config.total_weight = 1 << 40;
    let lighter = Action::ChangeWeight {
        account: alice(),
        weight: 1 << 39,
    };
    world.pass(lighter, &[alice()]).unwrap();
    assert_eq!(world.community.config.total_weight, 1 << 39);
    let join = Action::AddMember {
        account: bob(),
        weight: 1,
    };
    assert_eq!(
        world.pass(join, &[alice()]).map(drop),
        Err(CommunityError::WeightTooHigh)
    );
}

#[test]
fn neither_the_community_nor_its_broker_can_become_a_member() {
    let mut world = world();
    for account in [this(), broker_account()] {
        let now = world.now;
        let action = Action::AddMember { account, weight: 1 };
        assert_refused(&mut world, CommunityError::ContractAsMember, |w| {
            w.community.propose(alice(), action, String::new(), now)
        });
    }
    assert_eq!(
        community_of(&[(alice(), 1), (this(), 1)], RULES).unwrap_err(),
        CommunityError::ContractAsMember
    );
}

#[test]
fn members_weigh_at_most_2_to_the_32_together() {
    assert_eq!(MAX_TOTAL_WEIGHT, 4_294_967_296);
    assert_eq!(
        community_of(&[(alice(), MAX_TOTAL_WEIGHT), (bob(), 1)], RULES).unwrap_err(),
        CommunityError::WeightTooHigh
    );
    let mut world = world_of(&[(alice(), MAX_TOTAL_WEIGHT - 1)]);
    let now = world.now;
    let too_much = Action::AddMember {
        account: bob(),
        weight: MAX_TOTAL_WEIGHT + 1,
    };
    assert_refused(&mut world, CommunityError::WeightTooHigh, |w| {
        w.community.propose(alice(), too_much, String::new(), now)
    });
    let one = Action::AddMember {
        account: bob(),
        weight: 1,
    };
    world.pass(one, &[alice()]).unwrap();
    let two = Action::ChangeWeight {
        account: bob(),
        weight: 2,
    };
    assert_eq!(
        world.pass(two, &[alice()]).map(drop),
        Err(CommunityError::WeightTooHigh)
    );
}

// Edges of the bounds that the mutation run showed untested: a collection
// that exactly fills a book stays in it, and a rounding rest carries into
// the next book of the same token only.

#[test]
fn a_collection_that_exactly_fills_its_book_stays_in_it() {
    let mut world = world();
    world.collect(MAX_BOOK_FEES - 5).unwrap();
    let events = world.collect(5).unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::FeesCollected(FeesCollected {
            amount: 5,
            token: FIRST_TOKEN
        })]
    );
    assert_eq!(world.community.config.book.id, 0);
    assert_eq!(world.community.config.book.collected, MAX_BOOK_FEES);
}

#[test]
fn a_rounding_rest_carries_into_the_next_book_of_the_same_token_only() {
    // Three weights of 1: (2^110 - 2) * 2^17 leaves a rest of 1 over 3.
    let mut world = world_of(&[(alice(), 1), (bob(), 1), (carol(), 1)]);
    world.collect(MAX_BOOK_FEES - 2).unwrap();
    let rest = world.community.config.book.undistributed_scaled;
    assert_eq!(rest, 1);
    // 3 more do not fit the 2 left: book 1 opens in the same token, with the
    // rest, and takes them.
    world.collect(3).unwrap();
    let book = world.community.config.book.clone();
    assert_eq!((book.id, book.collected), (1, 3));
    assert_eq!(
        book.fees_per_weight * 3 + book.undistributed_scaled,
        3 * SHARE_PRECISION + rest,
        "the rest of book 0 was shared in book 1"
    );
    // A new token starts without a rest.
    let action = Action::Broker(BrokerCall::SetStablecoin(new_token()));
    world.pass(action, &[alice(), carol()]).unwrap();
    world.finish_migration(0, new_token());
    world.collect(0).unwrap();
    assert_eq!(world.community.config.book.token, new_token());
    assert_eq!(world.community.config.book.undistributed_scaled, 0);
}
