//! Service functions (`service.rs`): what only the community may do, the
//! stablecoin migration and the hand-over to a new community.
use super::*;

#[test]
fn service_functions_are_for_the_community_only() {
    let mut world = World::new(START);
    for caller in [user(), miner(), stranger()] {
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_community_fee(caller, 100)
        });
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_stablecoin(caller, account(9))
        });
        assert_refused(&mut world, BrokerError::NotCommunity, |w| {
            w.broker.set_community(caller, caller)
        });
        assert_eq!(
            world.broker.upgrade_code(caller, Hash::from([1; 32])),
            Err(BrokerError::NotCommunity)
        );
    }
    assert_eq!(
        world
            .broker
            .upgrade_code(community(), Hash::from([1; 32]))
            .unwrap(),
        vec![BrokerEvent::CodeUpgraded(CodeUpgraded {
            code_hash: Hash::from([1; 32])
        })]
    );
}

#[test]
fn the_fee_is_capped_at_25_percent() {
    let mut world = World::new(START);
    assert_eq!(world.broker.config.fee_bps, DEFAULT_FEE_BPS);
    assert_refused(&mut world, BrokerError::FeeTooHigh, |w| {
        w.broker.set_community_fee(community(), MAX_FEE_BPS + 1)
    });
    let events = world
        .broker
        .set_community_fee(community(), MAX_FEE_BPS)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityFeeChanged(CommunityFeeChanged {
            old_bps: 500,
            new_bps: 2_500
        })]
    );
}

#[test]
fn an_empty_broker_changes_its_stablecoin_at_once() {
    let mut world = World::new(START);
    let events = world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    assert_eq!(
        events,
        vec![
            BrokerEvent::MigrationStarted(MigrationStarted {
                from: account(0x5C),
                to: account(9)
            }),
            BrokerEvent::StablecoinChanged(StablecoinChanged {
                old: account(0x5C),
                new: account(9)
            })
        ]
    );
    assert_eq!(world.broker.config.stablecoin, account(9));
    assert_eq!(world.broker.config.migrating_to, None);
}

#[test]
fn a_dust_deposit_cannot_block_a_migration() {
    let (mut world, offer_id) = with_offer(10, 2);
    world.fund(stranger(), 1);
    world.fund(user(), week_of(20));
    let booking = book(&mut world, user(), offer_id);
    world.now += 10_000;
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    // Deposits and bookings stop at once; withdrawals and claims go on.
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.deposit(stranger(), 1)
    });
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.book_vm(user(), offer_id, ANY_PRICE, w.now)
    });
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        w.broker.set_stablecoin(community(), account(8))
    });
    for limit in [0, MAX_MIGRATION_BATCH + 1] {
        assert_refused(&mut world, BrokerError::BatchLimitOutOfRange, |w| {
            w.migrate(limit)
        });
    }
    // Step 1 ends the booking, paying the miner its 10 seconds.
    let events = world.migrate(1).unwrap();
    assert_eq!(payouts(&events)[0].amount + payouts(&events)[0].fee, 100);
    assert_eq!(stopped(&events)[0].reason, StopReason::CommunityTerminated);
    assert_eq!(world.broker.booking(booking), None);
    // Then every balance goes back to its owner, the dust too.
    let user_tokens = world.ledger().balance(user());
    world.migrate(2).unwrap();
    world.migrate(MAX_MIGRATION_BATCH).unwrap();
    assert_eq!(world.broker.config.stablecoin, account(9));
    assert_eq!(world.ledger().balance(stranger()), 1);
    assert_eq!(
        world.ledger().balance(user()),
        user_tokens + week_of(20) - 100
    );
    assert_eq!(world.ledger().balance(miner()), 95);
    assert_eq!(world.ledger().balance(community()), 5);
    assert_eq!(world.ledger().balance(broker_account()), 0);
    assert_eq!(world.broker.config.total_deposits, 0);
    // Left: the ended booking's record, until it is reported or forgotten
    // (the offer was removed: its price was in the old token).
    assert_eq!(world.broker.stored_items(), 1);
    assert!(world.broker.ended_booking(booking).is_some());
    assert_refused(&mut world, BrokerError::NoMigration, |w| w.migrate(1));
}

#[test]
fn a_new_community_takes_over_every_right_only_when_it_accepts() {
    let mut world = World::new(START);
    let next = account(0xC1);
    let events = world.broker.set_community(community(), next).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityProposed(CommunityProposed {
            current: community(),
            proposed: Some(next)
        })]
    );
    // Until it accepts, the old community keeps every right.
    assert_eq!(world.broker.config.community, community());
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_community_fee(next, 100)
    });
    world.broker.set_community_fee(community(), 100).unwrap();
    for stranger in [community(), stranger(), account(0xC2)] {
        assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
            w.broker.accept_community(stranger)
        });
    }
    let events = world.broker.accept_community(next).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityChanged(CommunityChanged {
            old: community(),
            new: next
        })]
    );
    assert_eq!(world.broker.config.proposed_community, None);
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_community_fee(community(), 100)
    });
    world.broker.set_community_fee(next, 200).unwrap();
    // An acceptance counts once.
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(next)
    });
}

/// A mistyped or unwilling successor cannot take the broker: the community
/// withdraws the offer by proposing itself, or replaces it by another.
#[test]
fn a_hand_over_can_be_withdrawn_or_redirected_before_acceptance() {
    let mut world = World::new(START);
    let typo = account(0xC1);
    let next = account(0xC2);
    world.broker.set_community(community(), typo).unwrap();
    world.broker.set_community(community(), next).unwrap();
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(typo)
    });
    let events = world
        .broker
        .set_community(community(), community())
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::CommunityProposed(CommunityProposed {
            current: community(),
            proposed: None
        })]
    );
    assert_refused(&mut world, BrokerError::NotProposedCommunity, |w| {
        w.broker.accept_community(next)
    });
    assert_eq!(world.broker.config.community, community());
}

#[test]
fn token_call_limits_are_the_communitys_and_none_may_be_zero() {
    let mut world = World::new(START);
    let smallest = TokenCallLimits {
        ref_time: 1,
        proof_size: 1,
        storage_deposit: 1,
    };
    let zero_ref_time = TokenCallLimits {
        ref_time: 0,
        ..smallest
    };
    let zero_proof_size = TokenCallLimits {
        proof_size: 0,
        ..smallest
    };
    let zero_deposit = TokenCallLimits {
        storage_deposit: 0,
        ..smallest
    };
    for zero in [zero_ref_time, zero_proof_size, zero_deposit] {
        assert_refused(&mut world, BrokerError::ZeroTokenCallLimit, |w| {
            w.broker.set_token_call_limits(community(), zero)
        });
    }
    assert_refused(&mut world, BrokerError::NotCommunity, |w| {
        w.broker.set_token_call_limits(miner(), smallest)
    });
    let events = world
        .broker
        .set_token_call_limits(community(), smallest)
        .unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::TokenCallLimitsChanged(
            TokenCallLimitsChanged { limits: smallest }
        )]
    );
    assert_eq!(world.broker.config.token_call_limits, smallest);
}

/// A migration pays every holder exactly: tokens sent to the broker during
/// it cannot leave a holder's balance unpaid step after step.
#[test]
fn a_donation_cannot_hold_up_a_migration() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    world.fund(stranger(), 1);
    world
        .broker
        .set_stablecoin(community(), account(9))
        .unwrap();
    world.ledger_mut().mint(broker_account(), 5);
    let events = world.migrate(MAX_MIGRATION_BATCH).unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, BrokerEvent::Withdrawn(_)))
            .count(),
        2
    );
    assert_eq!(world.ledger().balance(user()), 100);
    assert_eq!(world.ledger().balance(stranger()), 1);
    assert_eq!(world.broker.config.migrating_to, None);
    assert_eq!(world.broker.config.stablecoin, account(9));
}
