//! Fee books across stablecoin changes (second audit, findings 1, 3, 4, 5, 7
//! and 8; their bounds are in `fee_book_bounds.rs`): a share is paid in the
//! token its fees arrived in, whatever the broker's stablecoin is when it is
//! claimed; no stablecoin change waits on claims; a closed book is claimed
//! by id, once.
use super::*;
use crate::layout::ConfigV1;

pub(super) fn new_token() -> AccountId {
    account(0xE0)
}

impl World {
    /// Passes a stablecoin change to `token`: the broker's migration starts.
    pub(super) fn change_stablecoin(&mut self, token: AccountId) -> Events {
        let action = Action::Broker(BrokerCall::SetStablecoin(token));
        self.pass(action, &[carol()]).unwrap()
    }

    /// The broker's migration ends: it paid the community's broker balance
    /// (`paid`, in the old token) straight to it and switched to `token`.
    pub(super) fn finish_migration(&mut self, paid: Balance, token: AccountId) {
        let old = self.broker.stablecoin;
        self.broker.ledger_mut(old).mint(this(), paid);
        self.broker.fees = 0;
        self.broker.stablecoin = token;
    }

    /// Claims `member`'s share of closed book `book`; what it received, in `token`.
    pub(super) fn claim_closed(
        &mut self,
        member: AccountId,
        book: u32,
        token: AccountId,
    ) -> Result<Balance, CommunityError> {
        let before = self.broker.balance_of(token, member);
        self.community
            .claim_closed_share(member, book, &mut self.broker)?;
        Ok(self.broker.balance_of(token, member) - before)
    }
}

#[test]
fn fees_collected_during_a_migration_are_paid_in_the_token_they_arrived_in() {
    let mut world = world();
    world.change_stablecoin(new_token());
    // The migration settles bookings: 40 of fees in the old token wait, and
    // anyone collects them while it runs.
    world.collect(40).unwrap();
    // It pays the community's last 20 straight to it, then switches.
    world.finish_migration(20, new_token());
    // The next collection shares those 20 in the old book, closes it and
    // opens a book in the new token for the 100 that arrive in it.
    world.broker.fees = 100;
    let events = world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(
        events,
        vec![
            CommunityEvent::FeesCollected(FeesCollected {
                amount: 20,
                token: FIRST_TOKEN
            }),
            CommunityEvent::FeeBookOpened(FeeBookOpened {
                book: 1,
                token: new_token()
            }),
            CommunityEvent::FeesCollected(FeesCollected {
                amount: 100,
                token: new_token()
            }),
        ]
    );
    // Each share is paid in its own token, to the unit, and nothing is left.
    assert_eq!(world.claim(carol()).unwrap(), 50);
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 30);
    for member in [alice(), bob()] {
        assert_eq!(world.claim(member).unwrap(), 25);
        assert_eq!(world.claim_closed(member, 0, FIRST_TOKEN).unwrap(), 15);
    }
    assert_eq!(world.broker.balance_of(FIRST_TOKEN, this()), 0);
    assert_eq!(world.broker.balance_of(new_token(), this()), 0);
}

#[test]
fn a_stablecoin_change_shares_what_waits_first_and_waits_on_no_claim() {
    let mut world = world();
    world.collect(8).unwrap();
    world.broker.fees = 100;
    // Shares are unclaimed and fees wait: the change passes all the same,
    // sharing what waits under today's weights first.
    let events = world.change_stablecoin(new_token());
    assert_eq!(
        events[0],
        CommunityEvent::FeesCollected(FeesCollected {
            amount: 100,
            token: FIRST_TOKEN
        })
    );
    assert_eq!(
        world.broker.calls,
        vec![BrokerCall::SetStablecoin(new_token())]
    );
    assert_eq!(world.community.claimable(carol()), 4 + 50);
}

#[test]
fn a_community_that_handed_the_broker_over_pays_what_it_holds_in_the_old_token() {
    let mut world = world();
    world.collect(8).unwrap();
    // The broker goes to a successor, whose migration pays this community's
    // 12 of waiting fees in the old token and switches to the new one.
    world.finish_migration(12, new_token());
    let events = world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 10);
    assert_eq!(world.claim_closed(alice(), 0, FIRST_TOKEN).unwrap(), 5);
    world.community.pay_out_shares(0, 3, &mut world.broker).ok();
    assert_eq!(world.claim_closed(bob(), 0, FIRST_TOKEN).unwrap(), 5);
    assert_eq!(world.broker.balance_of(FIRST_TOKEN, this()), 0);
    // Nothing is left to follow: a second collection finds nothing.
    assert_refused(&mut world, CommunityError::NothingToCollect, |w| {
        w.community.collect_fees(&mut w.broker)
    });
}

#[test]
fn rounding_dust_and_a_refusing_token_never_block_a_stablecoin_change() {
    // Weights so large that 2 500 units give nobody a whole unit.
    let mut world = world_of(&[(alice(), 1_000_000_000), (bob(), 2_000_000_001)]);
    world.collect(2_500).unwrap();
    assert_eq!(world.community.claimable(alice()), 0);
    world.ledger().behaviour = TokenBehaviour::Rejects;
    let action = Action::Broker(BrokerCall::SetStablecoin(new_token()));
    world.pass(action, &[bob()]).unwrap();
    assert_eq!(
        world.broker.calls,
        vec![BrokerCall::SetStablecoin(new_token())]
    );
}

#[test]
fn a_token_being_left_that_no_longer_answers_does_not_keep_the_community_from_following() {
    let mut world = world();
    world.collect(8).unwrap();
    world.finish_migration(0, new_token());
    world.broker.silent_token = Some(FIRST_TOKEN);
    world.broker.fees = 4;
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.community.config.book.token, new_token());
    assert_eq!(world.claim(carol()).unwrap(), 2);
    // Its shares wait in their book until the token answers again.
    assert_refused(&mut world, CommunityError::TokenCallFailed, |w| {
        w.claim_closed(carol(), 0, FIRST_TOKEN)
    });
    world.broker.silent_token = None;
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 4);
}

#[test]
fn what_a_migration_pays_before_a_membership_change_is_shared_under_the_old_weights() {
    let mut world = world();
    world.change_stablecoin(new_token());
    // The migration, still running, pays the community 40 in the old token.
    world.broker.ledger_mut(FIRST_TOKEN).mint(this(), 40);
    let newcomer = account(0xD0);
    let join = Action::AddMember {
        account: newcomer,
        weight: 4,
    };
    let events = world.pass(join, &[carol()]).unwrap();
    assert_eq!(
        events[0],
        CommunityEvent::FeesCollected(FeesCollected {
            amount: 40,
            token: FIRST_TOKEN
        })
    );
    assert_eq!(world.community.claimable(newcomer), 0);
    assert_eq!(world.community.claimable(carol()), 20);
}

#[test]
fn a_stablecoin_change_passes_when_the_collection_before_it_fails() {
    let mut world = world();
    // A token that takes a fee on transfer: every withdrawal arrives short.
    world.broker.fees = 100;
    world.broker.shortfall = 1;
    let before = world.community.clone();
    world.change_stablecoin(new_token());
    assert_eq!(
        world.broker.calls,
        vec![BrokerCall::SetStablecoin(new_token())]
    );
    assert_eq!(world.community.config.book, before.config.book);
    // What did arrive is shared by the next collection, in the same book.
    world.broker.shortfall = 0;
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.community.claimable(carol()), 49);
}

/// The broker's withdrawal itself can fail (its token fails inside it): the
/// change still passes, and the book still follows a stablecoin the broker
/// moved to meanwhile, which the community then asks the broker for.
#[test]
fn a_stablecoin_change_passes_when_the_broker_cannot_pay_the_fees_out() {
    let mut world = world();
    world.broker.fees = 100;
    world.broker.stablecoin = new_token();
    world.broker.withdrawal_fails = Some(CommunityError::Broker(BrokerError::TokenCallFailed));
    let third = AccountId::from([0x5E; 32]);
    world.change_stablecoin(third);
    assert_eq!(world.broker.calls, vec![BrokerCall::SetStablecoin(third)]);
    assert_eq!(world.community.config.book.token, new_token());
    assert_eq!(world.broker.fees, 100);
    // A broker that does not answer at all still stops the change.
    world.broker.refuse_with = Some(CommunityError::BrokerCallFailed);
    let id = world.propose(Action::Broker(BrokerCall::SetStablecoin(third)));
    world.vote(carol(), id, true).unwrap();
    world.now += PERIOD;
    let before = world.community.clone();
    assert_eq!(
        world.execute(id).map(drop),
        Err(CommunityError::BrokerCallFailed)
    );
    assert_eq!(world.community, before);
}

#[test]
fn the_community_pays_with_the_token_call_limits_it_chose() {
    let mut world = world();
    assert_eq!(
        world.community.config.token_call_limits,
        TokenCallLimits::default()
    );
    let limits = TokenCallLimits {
        ref_time: 5,
        proof_size: 6,
        storage_deposit: 7,
    };
    let action = Action::Broker(BrokerCall::SetTokenCallLimits(limits));
    world.pass(action, &[carol()]).unwrap();
    assert_eq!(world.community.config.token_call_limits, limits);
}

#[test]
fn a_member_shares_fees_the_broker_settles_after_it_joined() {
    // Fees count when a miner's claim or a stop settles them in the broker,
    // not while they accrue: none wait yet, so the newcomer shares them.
    let mut world = world_of(&[(alice(), 1)]);
    world.broker.fees = 0;
    let join = Action::AddMember {
        account: bob(),
        weight: 1,
    };
    world.pass(join, &[alice()]).unwrap();
    assert_eq!(world.collect(10).unwrap().len(), 1);
    assert_eq!(world.community.claimable(bob()), 5);
}

#[test]
fn closed_books_are_claimed_by_id_once() {
    let mut world = world();
    world.collect(8).unwrap();
    world.finish_migration(0, new_token());
    world.broker.fees = 4;
    world.community.collect_fees(&mut world.broker).unwrap();
    assert_eq!(world.community.closed_claimable(0, carol()), 4);
    assert_refused(&mut world, CommunityError::UnknownBook, |w| {
        w.claim_closed(carol(), 1, FIRST_TOKEN)
    });
    assert_refused(&mut world, CommunityError::NotMember, |w| {
        w.claim_closed(stranger(), 0, FIRST_TOKEN)
    });
    assert_eq!(world.claim_closed(carol(), 0, FIRST_TOKEN).unwrap(), 4);
    assert_refused(&mut world, CommunityError::NothingToClaim, |w| {
        w.claim_closed(carol(), 0, FIRST_TOKEN)
    });
    // The current book is apart: carol's 2 of the 4 in the new token.
    assert_eq!(world.claim(carol()).unwrap(), 2);
}

#[test]
fn layout_1_becomes_closed_book_0_in_its_precision_and_book_1_opens_in_the_same_token() {
    let old = ConfigV1 {
        broker: BrokerLink::At(broker_account()),
        rules: RULES,
        member_count: 2,
        total_weight: 3,
        next_proposal_id: 4,
        next_release_id: 5,
        fees_per_weight: 6,
        undistributed_scaled: 7,
        total_collected: 100,
        total_claimed: 40,
        member_records: 2,
    };
    let migrated = old.migrated(this(), FIRST_TOKEN);
    assert_eq!(migrated.held, 60);
    assert_eq!(
        migrated.book_0,
        ClosedBook {
            token: FIRST_TOKEN,
            fees_per_weight: 6,
            precision: 1_000_000_000_000
        }
    );
    assert_eq!(migrated.config.book, FeeBook::open(1, FIRST_TOKEN));
    let config = migrated.config;
    assert_eq!(
        (config.this, config.total_weight, config.next_release_id),
        (this(), 3, 5)
    );
}

// Edges of the books that the mutation run showed untested: a book that
// took nothing is only re-pointed, a closed book answers its token and rate,
// and a member owed nothing in a closed book stores no share there.

#[test]
fn a_book_that_took_nothing_is_pointed_at_the_new_token_not_closed() {
    let mut world = world();
    world.change_stablecoin(new_token());
    world.finish_migration(0, new_token());
    world.collect(0).unwrap();
    assert_eq!(world.community.config.book.id, 0);
    assert_eq!(world.community.config.book.token, new_token());
    assert_eq!(world.community.closed_book(0), None);
}

#[test]
fn a_closed_book_answers_its_token_and_rate() {
    let mut world = world();
    world.collect(40).unwrap();
    let rate = world.community.config.book.fees_per_weight;
    world.change_stablecoin(new_token());
    world.finish_migration(0, new_token());
    world.collect(0).unwrap();
    assert_eq!(
        world.community.closed_book(0),
        Some(ClosedBook {
            token: FIRST_TOKEN,
            fees_per_weight: rate,
            precision: SHARE_PRECISION,
        })
    );
}

#[test]
fn a_member_owed_nothing_in_a_closed_book_stores_no_share_there() {
    let mut world = world();
    world.collect(40).unwrap();
    // Carol claims everything of book 0 before it closes.
    assert_eq!(world.claim(carol()).unwrap(), 20);
    world.change_stablecoin(new_token());
    world.finish_migration(0, new_token());
    world.collect(100).unwrap();
    // Settling Carol in book 1 finds nothing owed in book 0: no record.
    assert_eq!(world.claim(carol()).unwrap(), 50);
    assert_eq!(world.community.closed_shares.get(&(0, carol())), None);
    assert_eq!(
        world.claim_closed(carol(), 0, FIRST_TOKEN),
        Err(CommunityError::NothingToClaim)
    );
}
