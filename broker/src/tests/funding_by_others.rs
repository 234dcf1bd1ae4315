//! Anyone may pay into another account's balance (`deposit_for`): the money
//! is that account's alone, the checks are a deposit's, and a balance that
//! already ran out takes nothing, since money arriving after the run-out
//! never revives its bookings.
use super::*;

fn employer() -> AccountId {
    account(4)
}

fn deposit_for(
    world: &mut World,
    payer: AccountId,
    beneficiary: AccountId,
    amount: Balance,
) -> Result<Events, BrokerError> {
    let now = world.now;
    world
        .broker
        .deposit_for(&mut world.token, payer, beneficiary, amount, now)
}

#[test]
fn a_payer_funds_another_account_which_alone_may_spend_or_withdraw_it() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.ledger_mut().mint(employer(), week_of(10));
    let events = deposit_for(&mut world, employer(), user(), week_of(10)).unwrap();
    assert_eq!(
        events,
        vec![BrokerEvent::DepositedFor(DepositedFor {
            payer: employer(),
            account: user(),
            amount: week_of(10),
        })]
    );
    assert_eq!(world.ledger().balance(employer()), 0);
    assert_eq!(world.balance(user()), week_of(10));
    assert_eq!(world.balance(employer()), 0);
    // The payer holds nothing in the broker: it can neither take it back ...
    assert_refused(&mut world, BrokerError::InsufficientFreeBalance, |w| {
        w.withdraw(employer(), 1)
    });
    // ... nor book with it; the account books with it.
    assert_refused(&mut world, BrokerError::InsufficientBalance, |w| {
        let now = w.now;
        w.broker.book_vm(employer(), offer_id, ANY_PRICE, now)
    });
    book(&mut world, user(), offer_id);
}

#[test]
fn a_payer_keeps_a_running_booking_alive_past_its_old_run_out() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    let booking_id = book(&mut world, user(), offer_id);
    let old_run_out = world
        .broker
        .check_balance(user(), world.now)
        .unwrap()
        .runs_out_at;
    assert_eq!(old_run_out, Some(START + 604_800_000));
    world.now += 6 * 86_400_000;
    world.ledger_mut().mint(employer(), week_of(10));
    deposit_for(&mut world, employer(), user(), week_of(10)).unwrap();
    let report = world.broker.check_balance(user(), world.now).unwrap();
    assert_eq!(report.runs_out_at, Some(START + 2 * 604_800_000));
    // Past the old moment, the booking still accrues and pays its miner.
    world.now = START + 604_800_000 + 3_600_000;
    let now = world.now;
    let events = world
        .broker
        .claim_payment(miner(), booking_id, now)
        .unwrap();
    assert_eq!(payouts(&events)[0].seconds, 604_800 + 3_600);
    assert!(world.broker.booking(booking_id).is_some());
}

#[test]
fn a_balance_that_ran_out_takes_no_money_from_others() {
    let (mut world, offer_id) = with_offer(10, 1);
    world.fund(user(), week_of(10));
    book(&mut world, user(), offer_id);
    world.now = START + 604_800_000 + 1;
    world.ledger_mut().mint(employer(), 1_000);
    assert_refused(&mut world, BrokerError::BeneficiaryRanOut, |w| {
        deposit_for(w, employer(), user(), 1_000)
    });
    // At the last covered moment it still takes money.
    world.now = START + 604_800_000;
    deposit_for(&mut world, employer(), user(), 1_000).unwrap();
}

#[test]
fn funding_another_account_has_the_checks_of_a_deposit() {
    let (mut world, _) = with_offer(10, 1);
    world.ledger_mut().mint(employer(), 1_000);
    assert_refused(&mut world, BrokerError::ZeroAmount, |w| {
        deposit_for(w, employer(), user(), 0)
    });
    assert_refused(&mut world, BrokerError::DepositCapReached, |w| {
        deposit_for(w, employer(), user(), MAX_TOTAL_DEPOSITS + 1)
    });
    for (behaviour, error) in [
        (TokenBehaviour::Traps, BrokerError::TokenCallFailed),
        (TokenBehaviour::Rejects, BrokerError::TokenTransferRejected),
        (TokenBehaviour::Lies, BrokerError::TokenBalanceMismatch),
    ] {
        world.ledger_mut().behaviour = behaviour;
        assert_refused(&mut world, error, |w| {
            deposit_for(w, employer(), user(), 1_000)
        });
        world.ledger_mut().behaviour = TokenBehaviour::Honest;
    }
    // More than the payer holds: the token refuses, nothing is credited.
    assert_refused(&mut world, BrokerError::TokenTransferRejected, |w| {
        deposit_for(w, employer(), user(), 1_001)
    });
    world
        .broker
        .set_stablecoin(community(), account(0x5D))
        .unwrap();
    assert_refused(&mut world, BrokerError::MigrationInProgress, |w| {
        deposit_for(w, employer(), user(), 1_000)
    });
}

/// The broker's own address cannot be paid into: a transfer to itself moves
/// nothing, so a migration could never pay that balance out and would stop
/// at it for good.
#[test]
fn nobody_pays_into_the_brokers_own_balance() {
    let mut world = World::new(START);
    world.ledger_mut().mint(employer(), 100);
    assert_refused(&mut world, BrokerError::BrokerAsBeneficiary, |w| {
        deposit_for(w, employer(), broker_account(), 100)
    });
}
