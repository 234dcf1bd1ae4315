//! The follower on recorded blocks, without a node: it stores every broker
//! event once, ignores other contracts' events, and an interrupted run that
//! is restarted (the store reopened, the source failing mid-stream) ends with
//! exactly what a clean run stores.
use broker::events::{BookingReported, BookingStopped, MinerPayout};
use ink::{env::Event, primitives::AccountId};
use p2pcloud_client::{
    domain::{Block, Emitted, EventKind, Metadata, StopReason},
    history::{Filter, Record},
};
use p2pcloud_indexer::{
    follow::{catch_up, FollowError, Source, Watched},
    page::PageLimit,
    record::UNNAMED,
    store::Store,
};
use scale::Encode;

const BROKER: [u8; 32] = [0xB0; 32];
const COMMUNITY: [u8; 32] = [0xC0; 32];
const BLOCKS: u64 = 40;

fn emitted<E: Event + Encode>(contract: [u8; 32], event: &E) -> Emitted {
    Emitted {
        contract: AccountId::from(contract),
        topics: vec![E::SIGNATURE_TOPIC.expect("a signature topic")],
        data: event.encode(),
    }
}

fn account(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}

/// A recorded chain: in each block a payout, every third block a report and
/// a stop, every fifth an event of another contract.
fn recorded() -> Vec<Block> {
    (1..=BLOCKS)
        .map(|number| {
            let (user, miner) = (account((number % 4) as u8 + 1), account(9));
            let mut events = vec![(
                2,
                Some(1),
                emitted(
                    BROKER,
                    &MinerPayout {
                        booking_id: number,
                        miner,
                        user,
                        amount: u128::from(number) * 1_000,
                        fee: 50,
                        seconds: 60,
                    },
                ),
            )];
            if number % 3 == 0 {
                events.push((
                    5,
                    Some(2),
                    emitted(
                        BROKER,
                        &BookingStopped {
                            booking_id: number,
                            user,
                            miner,
                            reason: StopReason::MinerMisbehaviour,
                            seconds_used: 60,
                            amount_paid: 6_000,
                            settled_amount: 950,
                            settled_fee: 50,
                            settled_seconds: 10,
                        },
                    ),
                ));
                events.push((
                    6,
                    Some(2),
                    emitted(
                        BROKER,
                        &BookingReported {
                            booking_id: number,
                            user,
                            miner,
                            vm_type_id: 1,
                            price_per_second: 100,
                            seconds_used: 60,
                            amount_paid: 6_000,
                        },
                    ),
                ));
            }
            if number % 10 == 0 {
                // The community's events are kept whole, like the broker's.
                let payout = MinerPayout {
                    booking_id: 0,
                    miner,
                    user,
                    amount: 2,
                    fee: 0,
                    seconds: 1,
                };
                events.push((8, Some(4), emitted(COMMUNITY, &payout)));
            }
            if number % 5 == 0 {
                let payout = MinerPayout {
                    booking_id: 0,
                    miner,
                    user,
                    amount: 1,
                    fee: 0,
                    seconds: 1,
                };
                events.push((7, Some(3), emitted([0xEE; 32], &payout)));
            }
            Block {
                number,
                time: 1_767_225_600_000 + number * 6_000,
                events,
            }
        })
        .collect()
}

/// Recorded blocks, finalized up to `head`, failing once at `fail_at`.
struct Recorded {
    blocks: Vec<Block>,
    head: u64,
    fail_at: Option<u64>,
}

impl Source for Recorded {
    async fn finalized(&mut self) -> Result<u64, FollowError> {
        Ok(self.head)
    }

    async fn block(&mut self, number: u64) -> Result<Block, FollowError> {
        if self.fail_at == Some(number) {
            self.fail_at = None;
            return Err(FollowError::Source("the connection dropped".into()));
        }
        Ok(self.blocks[usize::try_from(number - 1).expect("small")].clone())
    }
}

fn temp_db(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("p2pcloud-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path.to_string_lossy().into_owned()
}

async fn everything(store: &Store) -> Vec<Record> {
    store
        .query(&Filter::default(), None, PageLimit::MAX)
        .await
        .expect("query")
        .records
}

#[tokio::test]
async fn an_interrupted_and_restarted_run_stores_what_a_clean_run_does() {
    let broker = Watched {
        broker: AccountId::from(BROKER),
        community: AccountId::from(COMMUNITY),
        metadata: Metadata::default(),
    };
    let clean_path = temp_db("clean");
    let clean = Store::open(&clean_path).await.expect("open");
    let mut source = Recorded {
        blocks: recorded(),
        head: BLOCKS,
        fail_at: None,
    };
    assert_eq!(
        catch_up(&mut source, &clean, &broker, 1).await,
        Ok(Some(BLOCKS))
    );
    // 40 payouts, 13 stops and 13 reports; the other contract's 8 are not kept.
    assert_eq!(clean.count().await, Ok(66));
    let complaints = Filter {
        kind: Some(EventKind::Complaint),
        ..Filter::default()
    };
    let page = clean
        .query(&complaints, None, PageLimit::default())
        .await
        .expect("query");
    assert_eq!(page.records.len(), 13);
    assert!(page
        .records
        .iter()
        .all(|record| record.position.extrinsic_index == Some(2)));

    // The interrupted run: the chain is finalized up to 25 at first, the
    // connection drops at block 12, the process restarts (the store reopened).
    let path = temp_db("interrupted");
    let store = Store::open(&path).await.expect("open");
    let mut source = Recorded {
        blocks: recorded(),
        head: 25,
        fail_at: Some(12),
    };
    assert!(matches!(
        catch_up(&mut source, &store, &broker, 1).await,
        Err(FollowError::Source(_))
    ));
    assert_eq!(store.last_block().await, Ok(Some(11)));
    drop(store);
    let store = Store::open(&path).await.expect("reopen");
    assert_eq!(
        catch_up(&mut source, &store, &broker, 1).await,
        Ok(Some(25))
    );
    source.head = BLOCKS;
    assert_eq!(
        catch_up(&mut source, &store, &broker, 1).await,
        Ok(Some(BLOCKS))
    );
    // Nothing new: a run with nothing finalized since stores nothing.
    assert_eq!(
        catch_up(&mut source, &store, &broker, 1).await,
        Ok(Some(BLOCKS))
    );
    assert_eq!(everything(&store).await, everything(&clean).await);
    let kept = store
        .contract_events(None, PageLimit::MAX)
        .await
        .expect("events");
    assert_eq!(
        Ok(kept.clone()),
        clean.contract_events(None, PageLimit::MAX).await
    );
    // Without the contracts' metadata every event is kept, unnamed.
    assert_eq!(kept.len(), 66 + 4);
    assert!(kept.iter().all(|(_, name, _)| name == UNNAMED));
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(clean_path);
}
