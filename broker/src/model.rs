//! A reference model of the broker core for property tests and fuzzing: the
//! operations a sequence is made of, how each runs on a [`World`], and the
//! invariants checked after every step against aggregates recomputed from the
//! bookings. A violation comes back as a message.
//!
//! This code never runs on-chain: it is the test oracle, built only with `std`
//! and always with overflow checks (tests, fuzzing), so plain arithmetic that
//! overflows panics there instead of passing silently.
#![allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation
)]
use crate::{
    data::Events,
    events::{BookingReported, BookingStopped, BrokerEvent, DepositedFor, MinerPayout},
    memory::{account, broker_account, World},
    types::*,
};
use ink::primitives::AccountId;
use p2pcloud_common::{testing::TokenBehaviour, BrokerError, Page};
use std::collections::{BTreeMap, BTreeSet};

/// When every sequence starts.
pub use p2pcloud_common::testing::START;

/// One step of a sequence. Callers are account bytes: 1-4 act as users and
/// miners, 0xC0 is the community, anything else a stranger.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode)]
#[allow(clippy::cast_possible_truncation)] // false positive in the codec derive
pub enum Op {
    AddOffer {
        caller: u8,
        vm: u32,
        price: Balance,
        machines: u32,
    },
    UpdateOffer {
        caller: u8,
        offer: u64,
        price: Balance,
        machines: u32,
    },
    RemoveOffer {
        caller: u8,
        offer: u64,
    },
    Deposit {
        caller: u8,
        amount: Balance,
    },
    Withdraw {
        caller: u8,
        amount: Balance,
    },
    /// Withdraws what the reference model says is free, plus `delta`.
    WithdrawFree {
        caller: u8,
        delta: i8,
    },
    /// Withdraws the free balance, at most `limit`.
    WithdrawUpTo {
        caller: u8,
        limit: Balance,
    },
    /// Books at most at the offer's price plus `max_price_delta` (negative:
    /// below it, which must be refused).
    Book {
        caller: u8,
        offer: u64,
        max_price_delta: i8,
    },
    Claim {
        caller: u8,
        booking: u64,
    },
    Stop {
        caller: u8,
        booking: u64,
        reason: StopReason,
    },
    SetFee {
        caller: u8,
        bps: u16,
    },
    /// Starts a migration to another token (the same in-memory ledger).
    SetStablecoin {
        caller: u8,
    },
    Migrate {
        limit: u32,
    },
    Advance {
        ms: u64,
    },
    /// The token misbehaves for the next operation only.
    TokenFails {
        behaviour: TokenBehaviour,
    },
    /// Reports a booking that ended without a report.
    ReportEnded {
        caller: u8,
        booking: u64,
    },
    /// Deletes an ended booking's record once its report window closed.
    ForgetEnded {
        booking: u64,
    },
    /// `caller` pays into `account`'s balance.
    DepositFor {
        caller: u8,
        account: u8,
        amount: Balance,
    },
    /// Someone sends the broker tokens outside any deposit: they belong to
    /// no account.
    Donate {
        amount: Balance,
    },
}

pub fn who(byte: u8) -> AccountId {
    account(byte)
}

/// The token a migration moves to (the tests keep one in-memory ledger).
pub fn next_stablecoin() -> AccountId {
    account(0x5D)
}

/// What the model remembers across steps: seconds paid per booking, from the
/// `MinerPayout` events seen so far, and the bookings that ended without a
/// report, with the user, seconds and amount their `BookingStopped` said.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub paid_seconds: BTreeMap<BookingId, u64>,
    pub reportable: BTreeMap<BookingId, (AccountId, u64, Balance)>,
    /// All the tokens donated to the broker so far.
    pub donated: Balance,
}

/// Runs one operation; returns its events or its error.
pub fn apply(world: &mut World, op: &Op) -> Result<Events, BrokerError> {
    let now = world.now;
    match *op {
        Op::AddOffer {
            caller,
            vm,
            price,
            machines,
        } => world
            .broker
            .add_offer(who(caller), vm, price, machines, [0; 32])
            .map(|(_, events)| events),
        Op::UpdateOffer {
            caller,
            offer,
            price,
            machines,
        } => world
            .broker
            .update_offer(who(caller), offer, price, machines),
        Op::RemoveOffer { caller, offer } => world.broker.remove_offer(who(caller), offer),
        Op::Deposit { caller, amount } => {
            top_up_wallet(world, who(caller));
            world.deposit(who(caller), amount)
        }
        Op::DepositFor {
            caller,
            account,
            amount,
        } => {
            top_up_wallet(world, who(caller));
            world.deposit_for(who(caller), who(account), amount)
        }
        Op::Withdraw { caller, amount } => world.withdraw(who(caller), amount),
        Op::WithdrawFree { caller, delta } => {
            let amount = free_exactly(world, who(caller)).saturating_add_signed(i128::from(delta));
            world.withdraw(who(caller), amount)
        }
        Op::WithdrawUpTo { caller, limit } => world
            .withdraw_up_to(who(caller), limit)
            .map(|(_, events)| events),
        Op::Book {
            caller,
            offer,
            max_price_delta,
        } => {
            let price = world.broker.offer(offer).map_or(1, |o| o.price_per_second);
            let max_price = price.saturating_add_signed(i128::from(max_price_delta));
            world
                .broker
                .book_vm(who(caller), offer, max_price, now)
                .map(|(_, events)| events)
        }
        Op::Claim { caller, booking } => world.broker.claim_payment(who(caller), booking, now),
        Op::Stop {
            caller,
            booking,
            reason,
        } => world.broker.stop_booking(who(caller), booking, reason, now),
        Op::SetFee { caller, bps } => world.broker.set_community_fee(who(caller), bps),
        Op::SetStablecoin { caller } => world.broker.set_stablecoin(who(caller), next_stablecoin()),
        Op::Migrate { limit } => world.migrate(limit),
        Op::Advance { ms } => {
            world.now = world.now.saturating_add(ms);
            Ok(Vec::new())
        }
        Op::TokenFails { behaviour } => {
            world.ledger_mut().behaviour = behaviour;
            Ok(Vec::new())
        }
        Op::ReportEnded { caller, booking } => {
            world.broker.report_ended_booking(who(caller), booking, now)
        }
        Op::ForgetEnded { booking } => world.broker.forget_ended_booking(booking, now),
        Op::Donate { amount } => {
            world.ledger_mut().mint(broker_account(), amount);
            Ok(Vec::new())
        }
    }
}

/// Payers hold what they deposit; some deposits exceed it and fail. The
/// broker's own account gets nothing here: tokens it gets outside a deposit
/// are a donation (`Op::Donate`), which the conservation check counts.
fn top_up_wallet(world: &mut World, payer: AccountId) {
    if world.ledger().balance(payer) < 100_000_000 && payer != broker_account() {
        world.ledger_mut().mint(payer, 100_000_000);
    }
}

/// `Err` carries what was violated.
pub type Check = Result<(), String>;

macro_rules! ensure {
    ($condition:expr) => {
        ensure!($condition, "{} failed", stringify!($condition))
    };
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

macro_rules! ensure_eq {
    ($left:expr, $right:expr) => {{
        let (left, right) = (&$left, &$right);
        ensure!(
            left == right,
            "{} == {} failed: {:?} != {:?}",
            stringify!($left),
            stringify!($right),
            left,
            right
        );
    }};
}

/// The invariants, with every aggregate recomputed from the bookings.
pub fn check_invariants(world: &World, history: &History) -> Check {
    let broker = &world.broker;
    // Conservation: the broker holds all it owes, and beyond that at most
    // what was donated (exactly what it owes when nothing was).
    let sum_balances = broker
        .balances()
        .try_fold(0u128, |sum, (_, a)| sum.checked_add(a.balance))
        .expect("balances overflow");
    ensure_eq!(sum_balances, broker.config.total_deposits);
    ensure!(broker.config.total_deposits <= MAX_TOTAL_DEPOSITS);
    let held = world.ledger().balance(broker_account());
    ensure!(
        held >= broker.config.total_deposits,
        "the broker holds {held} and owes {}",
        broker.config.total_deposits
    );
    ensure!(held - broker.config.total_deposits <= history.donated);

    let mut booked: BTreeMap<OfferId, u32> = BTreeMap::new();
    let mut pps: BTreeMap<AccountId, (u128, u128)> = BTreeMap::new();
    for (id, booking) in broker.all_bookings() {
        ensure!(booking.last_payment <= world.now.max(booking.started_at));
        ensure_eq!((booking.last_payment - booking.started_at) % 1_000, 0);
        // Every second paid for is paid exactly once.
        let seconds = history.paid_seconds.get(id).copied().unwrap_or(0);
        ensure_eq!(booking.seconds_paid(), seconds);
        *booked.entry(booking.offer_id).or_default() += 1;
        let entry = pps.entry(booking.user).or_default();
        entry.0 += booking.price_per_second;
        entry.1 += booking.price_per_second * u128::from(booking.last_payment);
        ensure!(
            booking.user != booking.miner,
            "a miner booked their own offer"
        );
    }
    // The owner lists hold exactly the active bookings and the offers, in id order.
    let actors = [1u8, 2, 3, 4, 9, 0xC0].map(who);
    for actor in actors {
        let by_user = booking_ids(world, |b| b.user == actor);
        ensure_eq!(walk(|c| broker.user_bookings(actor, c, 3)), by_user);
        let by_miner = booking_ids(world, |b| b.miner == actor);
        ensure_eq!(walk(|c| broker.miner_bookings(actor, c, 3)), by_miner);
        let offers: Vec<u64> = broker
            .all_offers()
            .filter(|(_, o)| o.miner == actor)
            .map(|(id, _)| *id)
            .collect();
        ensure_eq!(walk(|c| broker.miners_offers(actor, c, 3)), offers);
    }
    for vm in [None, Some(0), Some(1), Some(2)] {
        let available: Vec<u64> = broker
            .all_offers()
            .filter(|(_, o)| {
                !o.closed && o.booked < o.machines && vm.is_none_or(|vm| o.vm_type_id == vm)
            })
            .map(|(id, _)| *id)
            .collect();
        ensure_eq!(walk(|c| broker.available_offers(vm, c, 3)), available);
    }
    for (id, offer) in broker.all_offers() {
        ensure!(offer.booked <= offer.machines);
        ensure_eq!(offer.booked, booked.get(id).copied().unwrap_or(0));
        // A closed offer is removed with its last booking.
        ensure!(!offer.closed || offer.booked > 0, "closed offer {id} kept");
    }
    // A record is kept for exactly the bookings that ended without a report
    // and were neither reported nor forgotten since, as their stop said.
    let kept: BTreeMap<BookingId, (AccountId, u64, Balance)> = broker
        .all_ended()
        .map(|(id, e)| (*id, (e.user, e.seconds_used, e.amount_paid)))
        .collect();
    ensure_eq!(kept, history.reportable);
    // Stored accounts are exactly the non-empty ones, each in its holder slot.
    let holders: BTreeMap<u64, AccountId> =
        broker.all_holders().map(|(slot, a)| (*slot, *a)).collect();
    ensure_eq!(holders.len() as u64, broker.config.holders);
    ensure_eq!(
        holders.keys().copied().collect::<Vec<_>>(),
        (0..broker.config.holders).collect::<Vec<_>>()
    );
    for (account, state) in broker.balances() {
        ensure!(!state.is_empty(), "empty account {account:?} kept");
        ensure_eq!(
            state.holder_slot.and_then(|s| holders.get(&s)),
            Some(account)
        );
        let (total_pps, pps_time) = pps.get(account).copied().unwrap_or_default();
        ensure_eq!(state.total_pps, total_pps);
        ensure_eq!(state.pps_time, pps_time);
        ensure!(state.ran_out_at.is_none() || total_pps > 0);
        check_report(world, *account)?;
    }
    Ok(())
}

/// `check_balance` against the bookings, second by second.
fn check_report(world: &World, account: AccountId) -> Check {
    let report = world
        .broker
        .check_balance(account, world.now)
        .map_err(|e| format!("check_balance: {e:?}"))?;
    let ran_out = run_out_moment(world, account).filter(|at| *at < world.now);
    let until = ran_out.unwrap_or(world.now);
    let exact = owed_until(world, account, until);
    let total_pps: u128 = active(world, |b| b.user == account)
        .map(|b| b.price_per_second)
        .sum();
    ensure_eq!(report.deposited, world.balance(account));
    // The O(1) figure errs by less than a second of prices, towards the miners.
    ensure!(report.owed >= exact && report.owed < exact + total_pps.max(1));
    ensure!(report.owed <= report.deposited, "owes more than it holds");
    let locked = if ran_out.is_some() {
        0
    } else {
        total_pps * WEEK_SECONDS
    };
    ensure_eq!(report.locked, locked);
    ensure_eq!(
        report.free,
        report.deposited.saturating_sub(report.owed + report.locked)
    );
    ensure_eq!(report.runs_out_at, run_out_moment(world, account));
    Ok(())
}

/// The model's own answer to "when does the balance stop covering the
/// bookings": the frozen moment, or the last millisecond at which what the
/// bookings accrued from their last payments is within the balance.
fn run_out_moment(world: &World, account: AccountId) -> Option<Timestamp> {
    let state = world.broker.balances().find(|(a, _)| **a == account)?.1;
    if state.ran_out_at.is_some() {
        return state.ran_out_at;
    }
    let bookings: Vec<&Booking> = active(world, |b| b.user == account).collect();
    if bookings.is_empty() {
        return None;
    }
    let pps: u128 = bookings.iter().map(|b| b.price_per_second).sum();
    let since: u128 = bookings
        .iter()
        .map(|b| b.price_per_second * u128::from(b.last_payment))
        .sum();
    let at = (state.balance * 1_000 + since) / pps;
    Some(u64::try_from(at).unwrap_or(u64::MAX))
}

fn active<'a>(
    world: &'a World,
    belongs: impl Fn(&Booking) -> bool + 'a,
) -> impl Iterator<Item = &'a Booking> {
    world
        .broker
        .all_bookings()
        .map(|(_, b)| b)
        .filter(move |b| belongs(b))
}

fn booking_ids(world: &World, belongs: impl Fn(&Booking) -> bool) -> Vec<u64> {
    world
        .broker
        .all_bookings()
        .filter(|(_, b)| belongs(b))
        .map(|(id, _)| *id)
        .collect()
}

/// Every id of a paginated list, following the cursors page by page.
pub fn walk<T>(mut page: impl FnMut(Option<u64>) -> Result<Page<u64, T>, BrokerError>) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let current = page(cursor).expect("page");
        ids.extend(current.items.into_iter().map(|(id, _)| id));
        match current.next {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

/// What `user`'s active bookings accrued up to `until`, booking by booking.
fn owed_until(world: &World, user: AccountId, until: Timestamp) -> u128 {
    active(world, |b| b.user == user)
        .map(|b| {
            let seconds = until.saturating_sub(b.last_payment) / 1_000;
            b.price_per_second * u128::from(seconds)
        })
        .sum()
}

/// The reference model's free balance: balance less the week lock and what
/// the bookings owe, second by second, floored at zero.
fn free_exactly(world: &World, user: AccountId) -> Balance {
    let Ok(report) = world.broker.check_balance(user, world.now) else {
        return 0;
    };
    let until = run_out_moment(world, user).map_or(world.now, |at| at.min(world.now));
    world
        .balance(user)
        .saturating_sub(report.locked)
        .saturating_sub(owed_until(world, user, until))
}

/// The fee on `charged`, computed in two halves so it cannot overflow.
fn fee_of(charged: u128, bps: u16) -> u128 {
    let bps = u128::from(bps);
    charged / 10_000 * bps + charged % 10_000 * bps / 10_000
}

/// What the events of a successful operation must be, given the state before.
fn check_events(
    before: &World,
    world: &World,
    op: &Op,
    events: &Events,
    history: &mut History,
) -> Check {
    // Money flow: every balance moves by exactly what the events say.
    let mut expected: BTreeMap<AccountId, i128> = BTreeMap::new();
    let mut flow = |account: AccountId, delta: i128| *expected.entry(account).or_default() += delta;
    let mut ended: BTreeSet<BookingId> = BTreeSet::new();
    for event in events {
        match event {
            BrokerEvent::MinerPayout(p) => check_payout(before, p, history, &mut flow)?,
            BrokerEvent::Deposited(d) => flow(d.account, d.amount as i128),
            BrokerEvent::DepositedFor(d) => check_deposit_for(before, op, d, &mut flow)?,
            BrokerEvent::Withdrawn(w) => flow(w.account, -(w.amount as i128)),
            BrokerEvent::BookingStopped(s) => {
                if let Some(p) = s.settlement() {
                    check_payout(before, &p, history, &mut flow)?;
                }
                check_stopped(before, world, op, s, history)?;
                ended.insert(s.booking_id);
            }
            BrokerEvent::BookingReported(r) => check_reported(op, r, history, &ended)?,
            _ => {}
        }
    }
    for (account, delta) in expected {
        let moved = world.balance(account) as i128 - before.balance(account) as i128;
        ensure_eq!((account, moved), (account, delta));
    }
    check_outcome(before, world, op, events, history, &ended)
}

/// A `MinerPayout`, and the seconds it paid.
fn check_payout(
    before: &World,
    p: &MinerPayout,
    history: &mut History,
    flow: &mut impl FnMut(AccountId, i128),
) -> Check {
    let booking = before
        .broker
        .booking(p.booking_id)
        .expect("paid booking existed");
    // Every second is paid in full at the booking's price, up to
    // now or the moment the user's balance ran out.
    let until = run_out_moment(before, p.user).map_or(before.now, |at| at.min(before.now));
    let seconds = until.saturating_sub(booking.last_payment) / 1_000;
    ensure_eq!(p.seconds, seconds);
    ensure!(p.seconds > 0, "a payout of zero seconds");
    ensure_eq!(
        p.amount + p.fee,
        booking.price_per_second * u128::from(seconds)
    );
    ensure_eq!(p.fee, fee_of(p.amount + p.fee, booking.fee_bps));
    ensure_eq!((p.miner, p.user), (booking.miner, booking.user));
    flow(p.user, -((p.amount + p.fee) as i128));
    flow(p.miner, p.amount as i128);
    flow(before.broker.config.community, p.fee as i128);
    *history.paid_seconds.entry(p.booking_id).or_default() += p.seconds;
    Ok(())
}

/// A `DepositedFor`: the payment the operation asked for, into a balance
/// that had not run out.
fn check_deposit_for(
    before: &World,
    op: &Op,
    d: &DepositedFor,
    flow: &mut impl FnMut(AccountId, i128),
) -> Check {
    ensure!(matches!(op, Op::DepositFor { caller, account, amount }
            if (who(*caller), who(*account), *amount) == (d.payer, d.account, d.amount)));
    // Money arriving after the run-out would revive nothing.
    let ran_out = run_out_moment(before, d.account).is_some_and(|at| at < before.now);
    ensure!(!ran_out, "paid into a balance that ran out");
    flow(d.account, d.amount as i128);
    Ok(())
}

/// A `BookingStopped`: what the booking paid and the reason it ended for.
fn check_stopped(
    before: &World,
    world: &World,
    op: &Op,
    s: &BookingStopped,
    history: &mut History,
) -> Check {
    let booking = before
        .broker
        .booking(s.booking_id)
        .expect("stopped booking existed");
    let seconds = history.paid_seconds.remove(&s.booking_id).unwrap_or(0);
    ensure_eq!(s.seconds_used, seconds);
    ensure_eq!(
        s.amount_paid,
        booking.price_per_second * u128::from(seconds)
    );
    let ran_out = run_out_moment(before, s.user).is_some_and(|at| at < before.now);
    let asked = match op {
        Op::Stop { reason, .. } => *reason,
        Op::Migrate { .. } => StopReason::CommunityTerminated,
        _ => StopReason::NonPayment,
    };
    ensure_eq!(
        s.reason,
        if ran_out {
            StopReason::NonPayment
        } else {
            asked
        }
    );
    ensure!(
        world.broker.booking(s.booking_id).is_none(),
        "ended booking kept"
    );
    // Kept for a report unless its user stopped it.
    let by_its_user = matches!(
        op,
        Op::Stop {
            reason: StopReason::Ok,
            ..
        }
    );
    if !by_its_user {
        history
            .reportable
            .insert(s.booking_id, (s.user, s.seconds_used, s.amount_paid));
    }
    Ok(())
}

/// A `BookingReported`: it says what its stop said.
fn check_reported(
    op: &Op,
    r: &BookingReported,
    history: &mut History,
    ended: &BTreeSet<BookingId>,
) -> Check {
    // Reported at its stop, or later from what its stop said.
    let reported_later = matches!(op, Op::ReportEnded { .. });
    ensure!(
        reported_later
            || matches!(
                op,
                Op::Stop {
                    reason: StopReason::MinerMisbehaviour,
                    ..
                }
            )
    );
    let stop = history.reportable.remove(&r.booking_id);
    ensure_eq!(stop, Some((r.user, r.seconds_used, r.amount_paid)));
    if !reported_later {
        ensure!(ended.contains(&r.booking_id), "report without its stop");
    }
    Ok(())
}

/// What the operation must have done besides its events adding up.
fn check_outcome(
    before: &World,
    world: &World,
    op: &Op,
    events: &Events,
    history: &mut History,
    ended: &BTreeSet<BookingId>,
) -> Check {
    match *op {
        Op::Claim { booking, .. } => {
            let ran_out = before
                .broker
                .booking(booking)
                .and_then(|b| run_out_moment(before, b.user))
                .is_some_and(|at| at < before.now);
            ensure_eq!(ended.contains(&booking), ran_out);
        }
        Op::Stop {
            booking, reason, ..
        } => {
            ensure!(ended.contains(&booking));
            let reported = events
                .iter()
                .any(|e| matches!(e, BrokerEvent::BookingReported(_)));
            ensure_eq!(reported, reason == StopReason::MinerMisbehaviour);
        }
        Op::Deposit { amount, .. } | Op::DepositFor { amount, .. } => {
            // The test mints to the depositor first, so the broker's side
            // tells what arrived; only what it held beyond its debts (the
            // donations) may make up a shortfall.
            let held_before = before.ledger().balance(broker_account());
            let received = world.ledger().balance(broker_account()) - held_before;
            let surplus = held_before - before.broker.config.total_deposits;
            ensure!(received <= amount && amount - received <= surplus);
        }
        Op::Withdraw { caller, .. } | Op::WithdrawFree { caller, .. } => {
            check_withdrawal(before, world, caller)?;
        }
        Op::WithdrawUpTo { caller, limit } => {
            check_withdrawal(before, world, caller)?;
            // It sends all that `check_balance` called free, up to the limit
            // (`check_withdrawal` holds that free against the model's debts),
            // unless the token moves nothing.
            let received =
                world.ledger().balance(who(caller)) - before.ledger().balance(who(caller));
            let free = before
                .broker
                .check_balance(who(caller), before.now)
                .map_or(0, |report| report.free);
            let lies = before.ledger().behaviour == TokenBehaviour::Lies;
            ensure_eq!(received, if lies { 0 } else { free.min(limit) });
        }
        Op::ReportEnded { caller, booking } => {
            let record = before
                .broker
                .ended_booking(booking)
                .expect("reported record");
            ensure_eq!(record.user, who(caller));
            ensure!(world.now <= record.ended_at + REPORT_WINDOW);
            ensure_eq!(events.len(), 1);
        }
        Op::ForgetEnded { booking } => {
            let record = before
                .broker
                .ended_booking(booking)
                .expect("forgotten record");
            ensure!(world.now > record.ended_at + REPORT_WINDOW);
            history.reportable.remove(&booking);
        }
        Op::Migrate { .. } | Op::SetStablecoin { .. } => {
            check_migration(before, world, op, events, ended)?;
        }
        Op::Book { caller, offer, .. } => {
            let offer = before.broker.offer(offer).expect("booked offer existed");
            ensure!(offer.miner != who(caller));
            ensure!(before.broker.config.migrating_to.is_none());
        }
        _ => {}
    }
    Ok(())
}

/// A withdrawal takes from the balance what it paid out, less what the
/// broker held beyond its debts (donations, which a payment cannot tell from
/// what the token did not move): the caller gets all that was taken, and
/// beyond it only what was donated.
fn check_withdrawal(before: &World, world: &World, caller: u8) -> Check {
    let received = world.ledger().balance(who(caller)) - before.ledger().balance(who(caller));
    let taken = before.balance(who(caller)) as i128 - world.balance(who(caller)) as i128;
    let surplus = before.ledger().balance(broker_account()) - before.broker.config.total_deposits;
    ensure_eq!(taken, (received - received.min(surplus)) as i128);
    // A withdrawal never takes money owed to miners or locked for the week.
    let report = world
        .broker
        .check_balance(who(caller), world.now)
        .expect("report");
    let until = run_out_moment(world, who(caller)).map_or(world.now, |at| at.min(world.now));
    let kept = owed_until(world, who(caller), until) + report.locked;
    ensure!(world.balance(who(caller)) >= kept);
    Ok(())
}

/// A migration's start or one of its steps.
fn check_migration(
    before: &World,
    world: &World,
    op: &Op,
    events: &Events,
    ended: &BTreeSet<BookingId>,
) -> Check {
    // A step ends bookings first, then removes offers, then pays
    // holders, and switches the token once the broker holds nothing.
    let empty = world.broker.config.holders == 0
        && world.broker.all_bookings().next().is_none()
        && world.broker.all_offers().next().is_none();
    ensure_eq!(world.broker.config.migrating_to.is_none(), empty);
    if empty {
        ensure_eq!(world.broker.config.stablecoin, next_stablecoin());
        ensure_eq!(world.broker.config.total_deposits, 0);
    }
    if let Op::Migrate { limit } = *op {
        // It does `limit` items of work, fewer only when none is left.
        let paid_out = events
            .iter()
            .filter(|e| matches!(e, BrokerEvent::Withdrawn(_)));
        // A closed offer goes with its last booking; an open one is an item.
        let offers_removed = events.iter().filter(|e| {
            matches!(e, BrokerEvent::OfferRemoved(r)
                if before.broker.offer(r.offer_id).is_some_and(|o| !o.closed))
        });
        let worked = ended.len() + paid_out.count() + offers_removed.count();
        ensure!(worked == limit as usize || (worked < limit as usize && empty));
    }
    Ok(())
}

/// Refusals the model can predict from the state before.
fn check_refusal(before: &World, op: &Op, error: BrokerError) -> Check {
    ensure!(
        error != BrokerError::Overflow,
        "{op:?} overflowed within the bounds"
    );
    match *op {
        Op::Book {
            caller,
            offer,
            max_price_delta,
        } => {
            if let Some(o) = before.broker.offer(offer) {
                if before.broker.config.migrating_to.is_some() {
                    ensure_eq!(error, BrokerError::MigrationInProgress);
                } else if o.closed {
                    ensure_eq!(error, BrokerError::OfferClosed);
                } else if o.miner == who(caller) {
                    ensure_eq!(error, BrokerError::OwnOffer);
                } else if max_price_delta < 0 {
                    ensure_eq!(error, BrokerError::PriceAboveLimit);
                }
            }
        }
        Op::Deposit { amount, .. }
        | Op::DepositFor { amount, .. }
        | Op::AddOffer { price: amount, .. }
            if before.broker.config.migrating_to.is_some() && amount > 0 =>
        {
            ensure_eq!(error, BrokerError::MigrationInProgress);
        }
        Op::DepositFor {
            account, amount, ..
        } if amount > 0
            && before
                .broker
                .config
                .total_deposits
                .checked_add(amount)
                .is_some_and(|total| total <= MAX_TOTAL_DEPOSITS)
            && run_out_moment(before, who(account)).is_some_and(|at| at < before.now) =>
        {
            ensure_eq!(error, BrokerError::BeneficiaryRanOut);
        }
        Op::ReportEnded { caller, booking } => match before.broker.ended_booking(booking) {
            None => ensure_eq!(error, BrokerError::NoReportableBooking),
            Some(record) if record.user != who(caller) => {
                ensure_eq!(error, BrokerError::NotBookingUser)
            }
            Some(_) => ensure_eq!(error, BrokerError::ReportWindowClosed),
        },
        Op::ForgetEnded { booking } => match before.broker.ended_booking(booking) {
            None => ensure_eq!(error, BrokerError::NoReportableBooking),
            Some(_) => ensure_eq!(error, BrokerError::ReportWindowOpen),
        },
        // Only a token that fails the call refuses it: any free amount, even
        // none, goes, and what a lying token does not move stays the
        // caller's (no model token takes more than it is asked).
        Op::WithdrawUpTo { .. } => ensure!(
            matches!(
                error,
                BrokerError::TokenCallFailed | BrokerError::TokenTransferRejected
            ),
            "{op:?} refused with {error:?}"
        ),
        _ => {}
    }
    Ok(())
}

pub fn step(world: &mut World, history: &mut History, op: &Op) -> Check {
    let before = world.clone();
    let result = apply(world, op);
    if let Op::Donate { amount } = *op {
        history.donated = history.donated.saturating_add(amount);
    }
    if !matches!(op, Op::TokenFails { .. }) {
        world.ledger_mut().behaviour = TokenBehaviour::Honest;
    }
    match result {
        Err(error) => {
            check_refusal(&before, op, error)?;
            // A failed operation changes nothing (bar the test's own minting
            // and the one-shot token failure being used up).
            let mut expected = before;
            expected.ledger_mut().balances = world.ledger().balances.clone();
            expected.ledger_mut().behaviour = TokenBehaviour::Honest;
            ensure!(*world == expected, "failed {op:?} changed state");
        }
        Ok(events) => check_events(&before, world, op, &events, history)?,
    }
    check_invariants(world, history)
}

/// Runs a whole sequence from a fresh world, checking after every step.
pub fn run(ops: &[Op]) -> Check {
    let mut world = World::new(START);
    let mut history = History::default();
    for op in ops {
        step(&mut world, &mut history, op)?;
    }
    Ok(())
}
