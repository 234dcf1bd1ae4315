//! The store's contract, run against SQLite always and against a real
//! PostgreSQL where one is installed (`scripts/test.sh` runs that test with
//! `--ignored` when `initdb` is found, and says SKIPPED otherwise).
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{EventKind, Position, StopReason},
    history::{Filter, Record},
};
use p2pcloud_indexer::{
    page::{PageLimit, MAX_PAGE},
    store::Store,
};
use sqlx::{sqlite::SqliteConnection, Connection};
use std::process::Command;

fn record(block: u64, event: u32, kind: EventKind, user: u8, miner: u8, amount: u128) -> Record {
    Record {
        position: Position {
            block_number: block,
            block_time: block * 6_000,
            event_index: event,
            extrinsic_index: Some(1),
        },
        kind,
        booking_id: block,
        user: AccountId::from([user; 32]),
        miner: AccountId::from([miner; 32]),
        reason: (kind != EventKind::Payment).then_some(StopReason::MinerMisbehaviour),
        seconds: 60,
        amount,
        // A stop's settlement: a third of what the booking paid.
        paid_amount: match kind {
            EventKind::Payment => amount,
            EventKind::Stop => amount / 3,
            EventKind::Complaint => 0,
        },
        paid_seconds: match kind {
            EventKind::Payment => 60,
            EventKind::Stop => 20,
            EventKind::Complaint => 0,
        },
    }
}

fn limit(events: u32) -> PageLimit {
    PageLimit::try_from(events).expect("a page size")
}

fn blocks(records: &[Record]) -> Vec<u64> {
    records.iter().map(|r| r.position.block_number).collect()
}

/// What every backend must do: store a block once however often it is
/// saved, round-trip every field (u128 amounts included), filter and page.
async fn exercise(store: &Store) {
    assert_eq!(store.last_block().await, Ok(None));
    let block = [
        record(5, 0, EventKind::Payment, 1, 2, u128::MAX),
        record(5, 3, EventKind::Complaint, 1, 2, 7),
        record(5, 4, EventKind::Stop, 1, 2, 9),
    ];
    store.save_block(5, &block).await.expect("save");
    store.save_block(5, &block).await.expect("save again");
    assert_eq!(store.count().await, Ok(3));
    assert_eq!(store.last_block().await, Ok(Some(5)));
    let all = store
        .query(&Filter::default(), None, limit(10))
        .await
        .expect("query");
    assert_eq!(all.records, block.to_vec());

    for number in 6..=35u64 {
        let kind = if number % 3 == 0 {
            EventKind::Complaint
        } else {
            EventKind::Payment
        };
        let user = if number % 2 == 0 { 1 } else { 3 };
        let amount = u128::from(number);
        store
            .save_block(number, &[record(number, 0, kind, user, 2, amount)])
            .await
            .expect("save");
    }
    let complaints = Filter {
        kind: Some(EventKind::Complaint),
        from_block: Some(6),
        ..Filter::default()
    };
    let first = store
        .query(&complaints, None, limit(4))
        .await
        .expect("page");
    assert_eq!(blocks(&first.records), vec![6, 9, 12, 15]);
    let second = store
        .query(&complaints, first.next, limit(4))
        .await
        .expect("page");
    assert_eq!(blocks(&second.records), vec![18, 21, 24, 27]);
    let narrowed = Filter {
        kind: Some(EventKind::Complaint),
        user: Some(AccountId::from([1; 32])),
        from_block: Some(10),
        to_block: Some(25),
        reason: Some(StopReason::MinerMisbehaviour),
        ..Filter::default()
    };
    let page = store
        .query(&narrowed, None, limit(100))
        .await
        .expect("page");
    assert_eq!(blocks(&page.records), vec![12, 18, 24]);
    assert_eq!(page.next, None);
    let history = store
        .miner_history(&AccountId::from([2; 32]))
        .await
        .expect("history");
    assert_eq!(history.len(), 33);
    let nobody = Filter {
        miner: Some(AccountId::from([9; 32])),
        ..Filter::default()
    };
    assert!(store
        .query(&nobody, None, limit(10))
        .await
        .expect("page")
        .records
        .is_empty());
    // A page of no events, or of more than a page holds, cannot be asked.
    assert!(PageLimit::try_from(0).is_err());
    assert!(PageLimit::try_from(MAX_PAGE + 1).is_err());
}

#[tokio::test]
async fn on_sqlite() {
    let path = std::env::temp_dir().join(format!("p2pcloud-store-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(path.to_str().expect("a path"))
        .await
        .expect("open");
    exercise(&store).await;
    drop(store);
    let reopened = Store::open(path.to_str().expect("a path"))
        .await
        .expect("reopen");
    assert_eq!(
        reopened.last_block().await,
        Ok(Some(35)),
        "the mark survives a restart"
    );
    let _ = std::fs::remove_file(path);
}

/// A database the indexer made before its schema was versioned (the tables,
/// no record of migrations) opens, takes the first migration as applied and
/// keeps its events and its mark; the second migration says each payment
/// paid what it says, and each older stop and complaint nothing.
#[tokio::test]
async fn a_database_from_before_migrations_opens_with_its_data() {
    let path = std::env::temp_dir().join(format!("p2pcloud-store-old-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let path = path.to_str().expect("a path");
    let mut old = SqliteConnection::connect(&format!("sqlite://{path}?mode=rwc"))
        .await
        .expect("create");
    // What that code ran on every open: the first migration's statements.
    sqlx::raw_sql(include_str!("../migrations/0001_events.sql"))
        .execute(&mut old)
        .await
        .expect("the old schema");
    let hex = |byte: u8| format!("0x{}", format!("{byte:02x}").repeat(32));
    sqlx::query(
        "INSERT INTO broker_events (block_number, event_index, extrinsic_index, block_time, \
         kind, booking_id, user_account, miner, reason, seconds, amount) \
         VALUES (5, 2, 1, 30000, 'payment', 5, ?1, ?2, NULL, 60, '7'),                 (5, 3, 1, 30000, 'complaint', 5, ?1, ?2, 1, 60, '7')",
    )
    .bind(hex(1))
    .bind(hex(2))
    .execute(&mut old)
    .await
    .expect("two events");
    sqlx::query("INSERT INTO indexed (id, last_block) VALUES (1, 5)")
        .execute(&mut old)
        .await
        .expect("the mark");
    old.close().await.expect("close");

    let store = Store::open(path).await.expect("open");
    assert_eq!(store.last_block().await, Ok(Some(5)));
    let kept = store
        .query(&Filter::default(), None, limit(10))
        .await
        .expect("query");
    assert_eq!(
        kept.records,
        vec![
            record(5, 2, EventKind::Payment, 1, 2, 7),
            record(5, 3, EventKind::Complaint, 1, 2, 7)
        ]
    );
    drop(store);
    let reopened = Store::open(path).await.expect("reopen");
    assert_eq!(reopened.count().await, Ok(2));
    let _ = std::fs::remove_file(path);
}

/// A PostgreSQL server of its own in a temporary folder, stopped on drop.
struct Postgres {
    folder: std::path::PathBuf,
    port: u16,
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (the
/// server refuses to run as root).
fn pg(tool: &str, args: &[&str]) -> std::process::Output {
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout == b"0\n");
    let mut command = if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--", tool]);
        command
    } else {
        Command::new(tool)
    };
    command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

impl Postgres {
    fn start() -> Self {
        let folder = std::env::temp_dir().join(format!("p2pcloud-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).expect("a folder");
        let _ = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&folder)
            .status();
        let data = folder.join("data");
        let data = data.to_str().expect("a path");
        let init = pg("initdb", &["-D", data, "-A", "trust", "-U", "postgres"]);
        assert!(
            init.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1",
            folder.display()
        );
        let log = folder.join("log");
        let started = pg(
            "pg_ctl",
            &[
                "-D",
                data,
                "-o",
                &options,
                "-l",
                log.to_str().expect("a path"),
                "-w",
                "start",
            ],
        );
        assert!(
            started.status.success(),
            "pg_ctl: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        Self { folder, port }
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.folder.join("data");
        let _ = pg(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap_or_default(),
                "-m",
                "fast",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL (initdb, pg_ctl): scripts/test.sh runs it with --ignored where they are installed"]
async fn on_postgres() {
    let server = Postgres::start();
    let store = Store::open(&server.url()).await.expect("open");
    exercise(&store).await;
}
