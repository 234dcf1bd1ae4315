//! A reference model of the broker core for property tests and fuzzing: the
//! operations a sequence is made of, how each runs on a [`World`], and the
//! invariants checked after every step against aggregates recomputed from the
//! bookings. A violation comes back as a message.
//!
//! This code never runs on-chain: it is the test oracle, built only with `std`
//! and always with overflow checks (tests, fuzzing), so plain arithmetic that
//! overflows panics there instead of passing silently.
#![allow(clippy::arithmetic_side_effects)]
use crate::{
    data::Events,
    events::BrokerEvent,
    memory::{account, broker_account, community_account, World},
    types::*,
};
use ink::primitives::AccountId;
use p2pcloud_common::{testing::TokenBehaviour, BrokerError, Page};
use std::collections::BTreeMap;

/// When every sequence starts.
pub const START: Timestamp = 1_700_000_000_000;

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
    Book {
        caller: u8,
        offer: u64,
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
    SetStablecoin {
        caller: u8,
    },
    Advance {
        ms: u64,
    },
    /// The token misbehaves for the next operation only.
    TokenFails {
        behaviour: TokenBehaviour,
    },
}

pub fn who(byte: u8) -> AccountId {
    account(byte)
}

/// Seconds paid per booking, from the `MinerPayout` events seen so far.
pub type PaidSeconds = BTreeMap<BookingId, u64>;

/// Runs one operation; returns whether it succeeded and its events.
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
            // Users hold what they deposit; some deposits exceed it and fail.
            // The broker's own account gets nothing: minted to it, tokens
            // would be a donation the conservation check does not expect.
            let have = world.ledger().balance(who(caller));
            if have < 100_000_000 && who(caller) != broker_account() {
                world.ledger_mut().mint(who(caller), 100_000_000);
            }
            world.deposit(who(caller), amount)
        }
        Op::Withdraw { caller, amount } => world.withdraw(who(caller), amount),
        Op::WithdrawFree { caller, delta } => {
            let amount = free_exactly(world, who(caller)).saturating_add_signed(i128::from(delta));
            world.withdraw(who(caller), amount)
        }
        Op::Book { caller, offer } => world
            .broker
            .book_vm(who(caller), offer, now)
            .map(|(_, events)| events),
        Op::Claim { caller, booking } => world.broker.claim_payment(who(caller), booking, now),
        Op::Stop {
            caller,
            booking,
            reason,
        } => world.broker.stop_booking(who(caller), booking, reason, now),
        Op::SetFee { caller, bps } => world.broker.set_community_fee(who(caller), bps),
        Op::SetStablecoin { caller } => {
            let current = world.broker.config.stablecoin;
            world.broker.set_stablecoin(who(caller), current)
        }
        Op::Advance { ms } => {
            world.now = world.now.saturating_add(ms);
            Ok(Vec::new())
        }
        Op::TokenFails { behaviour } => {
            world.ledger_mut().behaviour = behaviour;
            Ok(Vec::new())
        }
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
pub fn check_invariants(world: &World, paid: &PaidSeconds) -> Check {
    let broker = &world.broker;
    // Conservation: the tokens the broker holds are exactly what it owes.
    let sum_balances = broker
        .balances()
        .try_fold(0u128, |sum, (_, a)| sum.checked_add(a.balance))
        .expect("balances overflow");
    ensure_eq!(sum_balances, broker.config.total_deposits);
    ensure_eq!(
        world.ledger().balance(broker_account()),
        broker.config.total_deposits
    );

    let mut booked: BTreeMap<OfferId, u32> = BTreeMap::new();
    let mut pps: BTreeMap<AccountId, (u128, u128)> = BTreeMap::new();
    for (id, booking) in broker.all_bookings() {
        ensure!(booking.last_payment <= world.now.max(booking.started_at));
        ensure_eq!((booking.last_payment - booking.started_at) % 1_000, 0);
        // Every second paid for is paid exactly once.
        let seconds = (booking.last_payment - booking.started_at) / 1_000;
        ensure_eq!(paid.get(id).copied().unwrap_or(0), seconds);
        if booking.status == BookingStatus::Active {
            *booked.entry(booking.offer_id).or_default() += 1;
            let entry = pps.entry(booking.user).or_default();
            entry.0 += booking.price_per_second;
            entry.1 += booking.price_per_second * u128::from(booking.last_payment);
        }
    }
    // The owner lists hold exactly the active bookings and available offers.
    let actors = [1u8, 2, 3, 4, 9, 0xC0].map(who);
    for actor in actors {
        let by_user = active_ids(broker.all_bookings(), |b| b.user == actor);
        ensure_eq!(walk(|c| broker.user_bookings(actor, c, 3)), by_user);
        let by_miner = active_ids(broker.all_bookings(), |b| b.miner == actor);
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
            .filter(|(_, o)| o.has_free_machine() && vm.is_none_or(|vm| o.vm_type_id == vm))
            .map(|(id, _)| *id)
            .collect();
        // Offers join this list each time they get a free machine again, so
        // its order is that of becoming available, not of ids.
        let mut listed = walk(|c| broker.available_offers(vm, c, 3));
        listed.sort_unstable();
        ensure_eq!(listed, available);
    }
    for (id, offer) in broker.all_offers() {
        ensure!(offer.booked <= offer.machines);
        ensure_eq!(offer.booked, booked.get(id).copied().unwrap_or(0));
    }
    for (account, state) in broker.balances() {
        let (total_pps, pps_time) = pps.get(account).copied().unwrap_or_default();
        ensure_eq!(state.total_pps, total_pps);
        ensure_eq!(state.pps_time, pps_time);
        let (free, locked) = broker.check_balance(*account, world.now);
        ensure!(free <= state.balance);
        ensure_eq!(locked, total_pps * WEEK_SECONDS);
    }
    Ok(())
}

fn active_ids<'a>(
    bookings: impl Iterator<Item = (&'a BookingId, &'a Booking)>,
    mut belongs: impl FnMut(&Booking) -> bool,
) -> Vec<u64> {
    bookings
        .filter(|(_, b)| b.status == BookingStatus::Active && belongs(b))
        .map(|(id, _)| *id)
        .collect()
}

/// Every id of a paginated list, following the cursors page by page.
fn walk<T>(mut page: impl FnMut(Option<u64>) -> Result<Page<u64, T>, BrokerError>) -> Vec<u64> {
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

/// What `user`'s active bookings owe right now, booking by booking.
fn owed_exactly(world: &World, user: AccountId) -> u128 {
    world
        .broker
        .all_bookings()
        .filter(|(_, b)| b.user == user && b.status == BookingStatus::Active)
        .map(|(_, b)| {
            let seconds = (world.now - b.last_payment) / 1_000;
            b.price_per_second.saturating_mul(u128::from(seconds))
        })
        .fold(0u128, u128::saturating_add)
}

/// The reference model's free balance: balance less the week lock and what
/// the bookings owe, second by second, floored at zero.
fn free_exactly(world: &World, user: AccountId) -> Balance {
    let (_, locked) = world.broker.check_balance(user, world.now);
    world
        .balance(user)
        .saturating_sub(locked)
        .saturating_sub(owed_exactly(world, user))
}

pub fn step(world: &mut World, paid: &mut PaidSeconds, op: &Op) -> Check {
    let before = world.clone();
    let result = apply(world, op);
    if !matches!(op, Op::TokenFails { .. }) {
        world.ledger_mut().behaviour = TokenBehaviour::Honest;
    }
    match result {
        Err(_) => {
            // A failed operation changes nothing (bar the test's own minting
            // and the one-shot token failure being used up).
            let mut expected = before;
            expected.ledger_mut().balances = world.ledger().balances.clone();
            expected.ledger_mut().behaviour = TokenBehaviour::Honest;
            ensure!(*world == expected, "failed {op:?} changed state");
        }
        Ok(events) => {
            let user_before = |a: AccountId| before.balance(a);
            for event in &events {
                if let BrokerEvent::MinerPayout(p) = event {
                    *paid.entry(p.booking_id).or_default() += p.seconds;
                    // What the user was charged is what miner and community got.
                    ensure_eq!(
                        p.fee,
                        fee_of(
                            p.amount + p.fee,
                            before.broker.booking(p.booking_id).unwrap().fee_bps
                        )
                    );
                    if p.user != p.miner && p.user != community_account() {
                        ensure_eq!(
                            user_before(p.user) - world.balance(p.user),
                            p.amount + p.fee
                        );
                    }
                }
            }
            if let Op::Withdraw { caller, .. } | Op::WithdrawFree { caller, .. } = op {
                // A withdrawal never takes money owed to miners or locked for the week.
                let (_, locked) = world.broker.check_balance(who(*caller), world.now);
                let kept = owed_exactly(world, who(*caller)).saturating_add(locked);
                ensure!(world.balance(who(*caller)) >= kept);
            }
        }
    }
    check_invariants(world, paid)
}

/// The fee on `charged`, computed in two halves so it cannot overflow.
fn fee_of(charged: u128, bps: u16) -> u128 {
    let bps = u128::from(bps);
    charged / 10_000 * bps + charged % 10_000 * bps / 10_000
}

/// Runs a whole sequence from a fresh world, checking after every step.
pub fn run(ops: &[Op]) -> Check {
    let mut world = World::new(START);
    let mut paid = PaidSeconds::new();
    for op in ops {
        step(&mut world, &mut paid, op)?;
    }
    Ok(())
}
