//! How fast the indexer stores events and answers queries, on SQLite (or a
//! PostgreSQL URL): stores 100 000 synthetic events (ten a block) and prints
//! events per second, fills the store to 1 000 000, then runs 1 000 queries
//! of each kind (a user's payments, a miner's complaints, a block range, a
//! miner's whole history for reputation) and prints their p50 and p99.
//!
//! Usage: indexer-bench [--db FILE_OR_URL] [--events N]
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{EventKind, Position, StopReason},
    history::{Filter, Record},
};
use p2pcloud_indexer::{page::PageLimit, store::Store};
use std::time::{Duration, Instant};

const PER_BLOCK: u64 = 10;
const USERS: u64 = 5_000;
const MINERS: u64 = 500;

fn account(kind: u8, n: u64) -> AccountId {
    let mut bytes = [kind; 32];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    AccountId::from(bytes)
}

fn block(number: u64) -> Vec<Record> {
    (0..PER_BLOCK)
        .map(|i| {
            let n = number * PER_BLOCK + i;
            let kind = match n % 20 {
                0 => EventKind::Complaint,
                1 | 2 => EventKind::Stop,
                _ => EventKind::Payment,
            };
            Record {
                position: Position {
                    block_number: number,
                    block_time: 1_767_225_600_000 + number * 6_000,
                    event_index: u32::try_from(i).unwrap_or(0),
                    extrinsic_index: Some(u32::try_from(i).unwrap_or(0)),
                },
                kind,
                booking_id: n / 7,
                user: account(1, n % USERS),
                miner: account(2, (n * 7) % MINERS),
                reason: match kind {
                    EventKind::Payment => None,
                    EventKind::Stop => Some(StopReason::Ok),
                    EventKind::Complaint => Some(StopReason::MinerMisbehaviour),
                },
                seconds: 60,
                amount: 60_000 + u128::from(n % 1_000),
                // A payment pays what it says; a stop's settlement a tenth.
                paid_amount: match kind {
                    EventKind::Payment => 60_000 + u128::from(n % 1_000),
                    EventKind::Stop => 6_000,
                    EventKind::Complaint => 0,
                },
                paid_seconds: match kind {
                    EventKind::Payment => 60,
                    EventKind::Stop => 6,
                    EventKind::Complaint => 0,
                },
            }
        })
        .collect()
}

async fn fill(store: &Store, from_block: u64, to_block: u64) -> Result<(), String> {
    for number in from_block..to_block {
        store
            .save_block(number, &block(number))
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A query's name and its filter for the `i`th run.
type NamedQuery = (&'static str, Box<dyn Fn(u64) -> Filter>);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

/// Where to store and how many events in all.
struct Options {
    db: String,
    total: u64,
}

impl Options {
    /// Reads `--db` and `--events`; a temporary SQLite file and a million
    /// events unless told.
    fn from_args() -> Result<Self, String> {
        let mut args = std::env::args().skip(1);
        let mut options = Self {
            db: std::env::temp_dir()
                .join(format!("p2pcloud-indexer-bench-{}.db", std::process::id()))
                .to_string_lossy()
                .into_owned(),
            total: 1_000_000,
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--db" => options.db = args.next().ok_or("--db needs a file or URL")?,
                "--events" => {
                    options.total = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .ok_or("--events needs a whole number")?
                }
                other => {
                    return Err(format!(
                    "unknown argument {other}; usage: indexer-bench [--db FILE_OR_URL] [--events N]"
                ))
                }
            }
        }
        Ok(options)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let Options { db, total } = Options::from_args()?;
    let store = Store::open(&db).await.map_err(|e| e.to_string())?;
    index(&store, total).await?;
    for (name, filter) in queries(total) {
        time_queries(&store, name, filter).await?;
    }
    time_miner_histories(&store).await?;
    if !db.starts_with("postgres") {
        let _ = std::fs::remove_file(&db);
    }
    Ok(())
}

/// Stores the first 100 000 events and prints how fast, then fills the
/// store up to `total` events.
async fn index(store: &Store, total: u64) -> Result<(), String> {
    let first = (100_000 / PER_BLOCK).min(total / PER_BLOCK);
    let started = Instant::now();
    fill(store, 0, first).await?;
    let elapsed = started.elapsed();
    let stored = first * PER_BLOCK;
    println!(
        "indexed {stored} events in {:.1} s: {:.0} events/s",
        elapsed.as_secs_f64(),
        stored as f64 / elapsed.as_secs_f64()
    );
    fill(store, first, total / PER_BLOCK).await?;
    let count = store.count().await.map_err(|e| e.to_string())?;
    println!("stored: {count} events");
    Ok(())
}

/// The filtered queries, over a store of `total` events.
fn queries(total: u64) -> [NamedQuery; 3] {
    [
        (
            "a user's payments (100)",
            Box::new(|i| Filter {
                kind: Some(EventKind::Payment),
                user: Some(account(1, (i * 37) % USERS)),
                ..Filter::default()
            }),
        ),
        (
            "a miner's complaints (100)",
            Box::new(|i| Filter {
                kind: Some(EventKind::Complaint),
                miner: Some(account(2, (i * 13) % MINERS)),
                ..Filter::default()
            }),
        ),
        (
            "a block range (100)",
            Box::new(move |i| {
                let from = (i * 97) % (total / PER_BLOCK).max(1);
                Filter {
                    from_block: Some(from),
                    to_block: Some(from + 20),
                    ..Filter::default()
                }
            }),
        ),
    ]
}

/// Runs the query `filter` 1 000 times and prints its latencies.
async fn time_queries(
    store: &Store,
    name: &str,
    filter: Box<dyn Fn(u64) -> Filter>,
) -> Result<(), String> {
    let mut times = Vec::with_capacity(1_000);
    for i in 0..1_000 {
        let started = Instant::now();
        let page = store
            .query(&filter(i), None, PageLimit::default())
            .await
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
        std::hint::black_box(page);
    }
    print_latencies(name, times);
    Ok(())
}

/// Reads 100 miners' whole histories, as reputation does, and prints the
/// latencies.
async fn time_miner_histories(store: &Store) -> Result<(), String> {
    let mut times = Vec::with_capacity(100);
    for i in 0..100 {
        let started = Instant::now();
        let history = store
            .miner_history(&account(2, (i * 13) % MINERS))
            .await
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed());
        std::hint::black_box(history);
    }
    print_latencies("a miner's history (~2000)", times);
    Ok(())
}

/// Prints the p50 and p99 of `times` after `name`.
fn print_latencies(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<28} p50 {:>7.2} ms  p99 {:>7.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3
    );
}
