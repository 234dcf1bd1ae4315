//! Balances (`balances.rs`): deposits, withdrawals, token failures and what
//! the week lock and the debts leave free.
use super::*;

#[test]
fn deposit_pulls_tokens_and_credits_them() {
    let mut world = World::new(START);
    world.ledger_mut().mint(user(), 100);
    let events = world.deposit(user(), 60).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::Deposited(Deposited {
            account: user(),
            amount: 60
        })]
    );
    assert_eq!(world.ledger().balance(user()), 40);
    assert_eq!(world.ledger().balance(broker_account()), 60);
    assert_eq!(free_locked(&world, user()), (60, 0));
    assert_eq!(world.broker.config.total_deposits, 60);
}

#[test]
fn deposit_refuses_zero_and_more_than_the_user_has() {
    let mut world = World::new(START);
    world.ledger_mut().mint(user(), 10);
    assert_refused(&mut world, BrokerError::ZeroAmount, |w| {
        w.deposit(user(), 0)
    });
    assert_refused(&mut world, BrokerError::TokenTransferRejected, |w| {
        w.deposit(user(), 11)
    });
}

/// Found by fuzzing the model: a transfer to itself does not move the
/// broker's balance, so its own account cannot deposit what it owes others.
#[test]
fn the_broker_cannot_deposit_into_itself() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    assert_refused(&mut world, BrokerError::TokenBalanceMismatch, |w| {
        w.deposit(broker_account(), 50)
    });
}

/// A deposit reads the broker's token balance once, after the transfer, and
/// is credited only if the broker then holds every unit it owes. Tokens sent
/// to the broker outside a deposit belong to nobody: they may make up what a
/// token failed to move, never what is owed.
#[test]
fn a_token_that_moves_nothing_is_credited_only_from_what_nobody_owns() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    world.ledger_mut().mint(broker_account(), 30);
    world.ledger_mut().mint(miner(), 50);
    world.ledger_mut().behaviour = TokenBehaviour::Lies;
    assert_refused(&mut world, BrokerError::TokenBalanceMismatch, |w| {
        w.deposit(miner(), 31)
    });
    world.deposit(miner(), 30).unwrap();
    assert_eq!(world.broker.config.total_deposits, 130);
    assert_eq!(world.ledger().balance(broker_account()), 130);
    assert_refused(&mut world, BrokerError::TokenBalanceMismatch, |w| {
        w.deposit(miner(), 1)
    });
    // Every unit owed can still leave once the token is honest.
    world.ledger_mut().behaviour = TokenBehaviour::Honest;
    world.withdraw(user(), 100).unwrap();
    world.withdraw(miner(), 30).unwrap();
    assert_eq!(world.ledger().balance(broker_account()), 0);
}

#[test]
fn every_kind_of_token_failure_leaves_everything_as_it_was() {
    let cases = [
        (TokenBehaviour::Rejects, BrokerError::TokenTransferRejected),
        (TokenBehaviour::Traps, BrokerError::TokenCallFailed),
        (TokenBehaviour::Lies, BrokerError::TokenBalanceMismatch),
    ];
    for (behaviour, error) in cases {
        let mut world = World::new(START);
        world.fund(user(), 100);
        world.ledger_mut().mint(user(), 100);
        world.ledger_mut().behaviour = behaviour;
        assert_refused(&mut world, error, |w| w.deposit(user(), 50));
        if behaviour != TokenBehaviour::Lies {
            assert_refused(&mut world, error, |w| w.withdraw(user(), 50));
        }
    }
}

/// A token that answers `Ok` and moves nothing pays nothing out: a
/// withdrawal says so, and every balance, in the books and on the token,
/// stays as it was.
#[test]
fn a_token_that_moves_nothing_out_pays_nothing_and_changes_nothing() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    world.ledger_mut().behaviour = TokenBehaviour::Lies;
    let before = world.clone();
    let nothing = vec![BrokerEvent::Withdrawn(Withdrawn {
        account: user(),
        amount: 0,
    })];
    assert_eq!(world.withdraw(user(), 50), Ok(nothing.clone()));
    let (withdrawal, events) = world.withdraw_up_to(user(), 60).unwrap();
    assert_eq!((withdrawal.amount, events), (0, nothing));
    assert_eq!(world, before);
}

/// Tokens sent to the broker outside any deposit cannot be told apart from
/// a payment the token did not make: the next withdrawal leaves them, up to
/// its amount, in the balance of whoever withdraws, and no one else's.
#[test]
fn a_donation_stays_with_the_next_withdrawal_never_what_others_are_owed() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    world.fund(miner(), 100);
    world.ledger_mut().mint(broker_account(), 30);
    world.withdraw(user(), 100).unwrap();
    assert_eq!(world.ledger().balance(user()), 100);
    assert_eq!(free_locked(&world, user()), (30, 0));
    assert_eq!(free_locked(&world, miner()), (100, 0));
    assert_eq!(world.broker.config.total_deposits, 130);
    assert_eq!(world.ledger().balance(broker_account()), 130);
}

#[test]
fn withdraw_sends_up_to_the_free_balance() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    assert_refused(&mut world, BrokerError::ZeroAmount, |w| {
        w.withdraw(user(), 0)
    });
    assert_refused(&mut world, BrokerError::InsufficientFreeBalance, |w| {
        w.withdraw(user(), 101)
    });
    let events = world.withdraw(user(), 100).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::Withdrawn(Withdrawn {
            account: user(),
            amount: 100
        })]
    );
    assert_eq!(world.ledger().balance(user()), 100);
    assert_eq!(world.ledger().balance(broker_account()), 0);
    assert_eq!(world.broker.config.total_deposits, 0);
}

#[test]
fn the_week_lock_and_what_is_owed_limit_withdrawals() {
    let (mut world, offer_id) = with_offer(10, 1);
    let extra = 1_000;
    world.fund(user(), week_of(10) + extra);
    book(&mut world, user(), offer_id);
    assert_eq!(free_locked(&world, user()), (extra, week_of(10)));
    world.now += 30_000; // 30 s owed to the miner, not yet claimed
    assert_eq!(free_locked(&world, user()), (extra - 300, week_of(10)));
    assert_refused(&mut world, BrokerError::InsufficientFreeBalance, |w| {
        w.withdraw(user(), extra - 299)
    });
    world.withdraw(user(), extra - 300).unwrap();
    // The miner can still be paid every second the user used.
    let events = world.broker.claim_payment(miner(), 0, world.now).unwrap();
    let payout = &payouts(&events)[0];
    assert_eq!(payout.amount + payout.fee, 300);
}

#[test]
fn a_balance_that_ran_out_is_all_owed_and_locks_nothing_more() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    book(&mut world, user(), offer_id);
    world.now += 8 * 24 * 3_600_000; // more than a week, nothing claimed
    let report = world.broker.check_balance(user(), world.now).unwrap();
    assert_eq!(
        (report.owed, report.free, report.locked),
        (week_of(10), 0, 0)
    );
}

#[test]
fn withdraw_up_to_sends_what_is_free_at_most_the_limit_and_says_so() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10) + 50);
    book(&mut world, user(), offer_id);
    world.now += 1_000; // 10 owed to the miner, so 40 free
    let stablecoin = world.broker.config.stablecoin;
    let (sent, events) = world.withdraw_up_to(user(), 30).unwrap();
    assert_eq!(
        sent,
        Withdrawal {
            token: stablecoin,
            amount: 30
        }
    );
    assert_eq!(
        events,
        vec![BrokerEvent::Withdrawn(Withdrawn {
            account: user(),
            amount: 30
        })]
    );
    let (sent, _) = world.withdraw_up_to(user(), Balance::MAX).unwrap();
    assert_eq!(sent.amount, 10);
    assert_eq!(world.ledger().balance(user()), 40);
    assert_eq!(free_locked(&world, user()), (0, week_of(10)));
    // Nothing free: nothing sent, no token call, no event, nothing changed.
    world.ledger_mut().behaviour = TokenBehaviour::Traps;
    let before = world.clone();
    let (sent, events) = world.withdraw_up_to(user(), Balance::MAX).unwrap();
    assert_eq!((sent.amount, events), (0, Vec::new()));
    assert_eq!(world, before);
}

#[test]
fn withdraw_up_to_refuses_every_kind_of_token_failure_whole() {
    for (behaviour, error) in [
        (TokenBehaviour::Rejects, BrokerError::TokenTransferRejected),
        (TokenBehaviour::Traps, BrokerError::TokenCallFailed),
    ] {
        let mut world = World::new(START);
        world.fund(user(), 100);
        world.ledger_mut().behaviour = behaviour;
        assert_refused(&mut world, error, |w| w.withdraw_up_to(user(), 60));
    }
}

/// A broker whose token took tokens from it outside any message (seized,
/// burnt) holds less than it owes: no withdrawal can then leave it holding
/// what it still owes others, so each is refused until the shortfall is
/// sent back, rather than paid from what the last to withdraw are owed.
#[test]
fn a_broker_left_short_pays_no_one_until_the_shortfall_is_back() {
    let mut world = World::new(START);
    world.fund(user(), 100);
    world.fund(miner(), 100);
    *world
        .ledger_mut()
        .balances
        .get_mut(&broker_account())
        .unwrap() -= 10;
    // The books stay as they were (on chain the revert undoes the transfer).
    let mut attempt = world.clone();
    assert_eq!(
        attempt.withdraw(user(), 50),
        Err(BrokerError::TokenBalanceMismatch)
    );
    assert_eq!(attempt.broker, world.broker);
    world.ledger_mut().mint(broker_account(), 10);
    world.withdraw(user(), 50).unwrap();
    assert_eq!(world.ledger().balance(user()), 50);
}
