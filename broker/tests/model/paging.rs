//! Paging under changes: offers that come and go between pages never make
//! the walk skip or repeat one that stayed.
use super::{env_count, fixed_seed_runner};
use broker::{
    memory::{account, World},
    model::{walk, START},
    types::*,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
enum Change {
    AddOffer { vm: u32 },
    Book { offer: u64 },
    Stop { booking: u64 },
    Remove { offer: u64 },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u32..2).prop_map(|vm| Change::AddOffer { vm }),
        (0u64..40).prop_map(|offer| Change::Book { offer }),
        (0u64..40).prop_map(|booking| Change::Stop { booking }),
        (0u64..40).prop_map(|offer| Change::Remove { offer }),
    ]
}

fn apply_change(world: &mut World, change: &Change) {
    let (miner, user) = (account(2), account(1));
    let _ = match *change {
        Change::AddOffer { vm } => world.broker.add_offer(miner, vm, 1, 1, [0; 32]).map(drop),
        Change::Book { offer } => world.broker.book_vm(user, offer, 1, world.now).map(drop),
        Change::Stop { booking } => world
            .broker
            .stop_booking(user, booking, StopReason::Ok, world.now)
            .map(drop),
        Change::Remove { offer } => world.broker.remove_offer(miner, offer).map(drop),
    };
}

fn available(world: &World, vm: Option<u32>) -> BTreeSet<u64> {
    walk(|cursor| world.broker.available_offers(vm, cursor, 100))
        .into_iter()
        .collect()
}

#[test]
fn paging_while_offers_come_and_go_skips_and_repeats_nothing_that_stayed() {
    let mut runner = fixed_seed_runner(env_count("P2PCLOUD_SEQUENCES", 10_000) / 10);
    let result = runner.run(
        &(
            proptest::collection::vec(change(), 0..40),
            proptest::collection::vec(proptest::collection::vec(change(), 0..4), 1..30),
            prop_oneof![Just(None), (0u32..2).prop_map(Some)],
            1u32..4,
        ),
        |(setup, between_pages, vm, limit)| {
            let mut world = World::new(START);
            world.ledger_mut().mint(account(1), 1 << 60);
            world.deposit(account(1), 1 << 60).unwrap();
            setup.iter().for_each(|c| apply_change(&mut world, c));
            let mut stayed = available(&world, vm);
            let (mut seen, mut cursor, mut pages) = (Vec::new(), None, between_pages.iter());
            loop {
                let page = world.broker.available_offers(vm, cursor, limit).unwrap();
                seen.extend(page.items.iter().map(|(id, _)| *id));
                let Some(next) = page.next else { break };
                cursor = Some(next);
                for change in pages.next().into_iter().flatten() {
                    apply_change(&mut world, change);
                    stayed = &stayed & &available(&world, vm);
                }
            }
            let unique: BTreeSet<u64> = seen.iter().copied().collect();
            prop_assert_eq!(unique.len(), seen.len(), "an offer came twice: {:?}", seen);
            prop_assert!(stayed.is_subset(&unique), "skipped {:?}", &stayed - &unique);
            Ok(())
        },
    );
    if let Err(error) = result {
        panic!("{error}");
    }
}
