//! Sealed books (issue #27): a claim reads the token once where no migration
//! can have paid the book's fees straight in, and exactly everywhere else.
use super::{fee_books::new_token, *};

/// A community that created its broker (`FIRST_TOKEN`), so its first book
/// is sealed.
fn created_world() -> World {
    let plan = BrokerLink::Planned {
        code_hash: Hash::from([7; 32]),
        stablecoin: FIRST_TOKEN,
    };
    let members = [(alice(), 1), (bob(), 1), (carol(), 2)];
    let mut community = MemoryCommunity::new(this(), &members, RULES, plan, FIRST_TOKEN).unwrap();
    community.broker_created(broker_account()).unwrap();
    World {
        community,
        broker: FakeBroker::default(),
        now: START,
    }
}

impl World {
    fn current_book_is_sealed(&self) -> bool {
        self.community.is_sealed(self.community.config.book.id)
    }

    /// `member`'s share of the current book, in whole units.
    fn claimable(&self, member: AccountId) -> Balance {
        self.community.claimable(member)
    }
}

#[test]
fn a_lying_token_pays_nothing_from_a_sealed_book_and_the_share_stays() {
    let mut world = created_world();
    assert!(world.current_book_is_sealed());
    world.collect(8).unwrap();
    world.ledger().behaviour = TokenBehaviour::Lies;
    let events = world
        .community
        .claim_share(carol(), &mut world.broker)
        .unwrap();
    assert_eq!(
        events,
        vec![CommunityEvent::ShareClaimed(ShareClaimed {
            member: carol(),
            amount: 0,
            token: FIRST_TOKEN,
        })]
    );
    assert_eq!(world.claimable(carol()), 4);
    assert_eq!(world.tokens(this()), 8);
    world.ledger().behaviour = TokenBehaviour::Honest;
    assert_eq!(world.claim(carol()).unwrap(), 4);
    assert_eq!(world.claimable(carol()), 0);
}

#[test]
fn a_donation_to_a_sealed_book_stays_with_the_next_claim_never_what_others_are_owed() {
    let mut world = created_world();
    world.collect(8).unwrap();
    world.ledger().mint(this(), 3);
    // Carol is paid her 4, and the 3 nobody owns cannot be told from what
    // the token did not move: they stay in her share.
    assert_eq!(world.claim(carol()).unwrap(), 4);
    assert_eq!(world.claimable(carol()), 3);
    assert_eq!(world.claim(carol()).unwrap(), 3);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(carol())
    });
    // What the others are owed is still there.
    assert_eq!(world.claim(alice()).unwrap(), 2);
    assert_eq!(world.claim(bob()).unwrap(), 2);
    assert_eq!(world.tokens(this()), 0);
}

#[test]
fn a_community_left_short_pays_no_claim_from_a_sealed_book() {
    let mut world = created_world();
    world.collect(8).unwrap();
    world.ledger().balances.insert(this(), 5);
    // On chain the refusal reverts the transfer too; here the ledger keeps it.
    let before = world.community.clone();
    assert_eq!(
        world.claim(carol()),
        Err(CommunityError::TokenBalanceMismatch)
    );
    assert_eq!(world.community, before);
}

/// The attack a one-read claim opens: a migration pays the community's
/// fees straight to it, owed to every member; a claim that left them with
/// the claimer would let one member take them all.
#[test]
fn fees_a_migration_pays_straight_in_are_shared_not_left_with_one_claimer() {
    let mut world = created_world();
    world.collect(8).unwrap();
    world.change_stablecoin(new_token());
    assert!(!world.current_book_is_sealed());
    world.finish_migration(12, new_token());
    // Before the next collection Carol claims her 4, exactly, and no more.
    assert_eq!(world.claim(carol()).unwrap(), 4);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(carol())
    });
    // The collection shares the 12 by weight and opens a sealed book.
    world.community.collect_fees(&mut world.broker).unwrap();
    assert!(world.current_book_is_sealed());
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 6);
    assert_eq!(world.claim_closed(alice(), 0, FIRST_TOKEN).unwrap(), 2 + 3);
    assert_eq!(world.claim_closed(bob(), 0, FIRST_TOKEN).unwrap(), 2 + 3);
}

/// After a handover offer a successor may take the broker and migrate it at
/// any time, paying this community's fees straight in: no book of it is
/// sealed again, even one a finished migration opens.
#[test]
fn a_community_that_offered_its_broker_away_pays_every_claim_exactly() {
    let mut world = created_world();
    world.collect(8).unwrap();
    let offer = Action::Broker(BrokerCall::SetCommunityContract(account(0xC5)));
    world.pass(offer, &[carol()]).unwrap();
    assert!(!world.current_book_is_sealed());
    world.finish_migration(12, new_token());
    world.collect(20).unwrap();
    assert!(!world.current_book_is_sealed());
    // The successor migrates again and pays 8 straight in.
    world.finish_migration(8, account(0xE1));
    assert_eq!(world.claim(carol()).unwrap(), 10);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(carol())
    });
}

/// Taking a broker over may happen while its migration runs, which then
/// pays this community's first fees straight in.
#[test]
fn a_community_that_takes_a_broker_over_pays_exactly_until_a_migration_ends() {
    let mut world = created_world();
    world.collect(8).unwrap();
    world
        .pass(Action::Broker(BrokerCall::AcceptCommunity), &[carol()])
        .unwrap();
    assert!(!world.current_book_is_sealed());
    world.finish_migration(12, new_token());
    assert_eq!(world.claim(carol()).unwrap(), 4);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim(carol())
    });
    world.collect(20).unwrap();
    assert!(world.current_book_is_sealed());
}

#[test]
fn a_book_opened_for_room_keeps_its_token_and_its_seal() {
    let mut world = created_world();
    world.collect(MAX_BOOK_FEES).unwrap();
    world.collect(4).unwrap();
    assert_eq!(world.community.config.book.id, 1);
    assert!(world.current_book_is_sealed());
    let mut world = world_of(&[(alice(), 1)]);
    world.collect(MAX_BOOK_FEES).unwrap();
    world.collect(4).unwrap();
    assert_eq!(world.community.config.book.id, 1);
    assert!(!world.current_book_is_sealed());
}

/// A community that adopted a broker cannot know whether it migrates, or
/// whose fees: its books are sealed only once a migration ended.
#[test]
fn an_adopting_community_pays_exactly_until_a_migration_ends() {
    let mut world = world();
    assert!(!world.current_book_is_sealed());
    world.collect(8).unwrap();
    world.finish_migration(0, new_token());
    world.collect(4).unwrap();
    assert!(world.current_book_is_sealed());
}

/// A batch from a sealed book reads the token once a share: what the token
/// did not move stays with the share it was not moved for.
#[test]
fn a_batch_from_a_sealed_book_leaves_what_was_not_moved_with_each_share() {
    let mut world = created_world();
    world.collect(8).unwrap();
    world.ledger().behaviour = TokenBehaviour::Lies;
    let (next, events) = world
        .community
        .pay_out_shares(0, 3, &mut world.broker)
        .unwrap();
    assert_eq!(next, 3);
    let paid: Vec<Balance> = events
        .iter()
        .map(|event| match event {
            CommunityEvent::ShareClaimed(e) => e.amount,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(paid, vec![0, 0, 0]);
    assert_eq!(
        [alice(), bob(), carol()].map(|member| world.claimable(member)),
        [2, 2, 4]
    );
    world.ledger().behaviour = TokenBehaviour::Honest;
    world.ledger().mint(this(), 1);
    world
        .community
        .pay_out_shares(0, 3, &mut world.broker)
        .unwrap();
    // The donation went with the first share paid, Alice's; the rest exactly.
    assert_eq!(
        [alice(), bob(), carol()].map(|member| world.tokens(member)),
        [2, 2, 4]
    );
    assert_eq!(world.claimable(alice()), 1);
    assert_eq!(world.tokens(this()), 1);
}
