//! Where the indexer keeps events: SQLite in one file by default, or
//! PostgreSQL given a `postgres://` URL, through one sqlx code path and one
//! set of versioned migrations. Amounts are kept as decimal text (they are
//! u128); accounts as 0x-prefixed hex; stop reasons as their code.
use crate::{
    page::{Cursor, Page, PageLimit},
    record::ContractEvent,
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    domain::{hex_bytes, Address, EventKind, Hex32, Position, StopReason},
    history::{Filter, Record},
};
use sqlx::{any::AnyPoolOptions, migrate::Migrator, AnyPool, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the event store failed: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

fn failed(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}

/// Which SQL the database speaks where the two differ: its placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The `n`th (from 1) bind parameter.
    fn arg(self, n: usize) -> String {
        match self {
            Self::Sqlite => format!("?{n}"),
            Self::Postgres => format!("${n}"),
        }
    }
}

pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
}

/// The schema: the numbered SQL files in `indexer/migrations/`, each applied
/// once, in order, in a transaction, and recorded in the database's
/// `_sqlx_migrations` table. A change to the schema is a new file.
static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

const COLUMNS: &str = "block_number, event_index, extrinsic_index, block_time, kind, booking_id, \
                       user_account, miner, reason, seconds, amount, paid_seconds, paid_amount";

impl Store {
    /// Opens (creating if needed) the store at `url`, a file path or
    /// `sqlite://FILE` for SQLite, `postgres://...` for PostgreSQL, and
    /// applies the migrations it has not had yet.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, dialect) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (url.to_string(), Dialect::Postgres)
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            (format!("sqlite://{path}?mode=rwc"), Dialect::Sqlite)
        };
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // A block's events and its mark commit together, so a
                        // crash loses at most the last blocks, never half of
                        // one; NORMAL skips an fsync per commit in WAL mode.
                        sqlx::query("PRAGMA journal_mode = WAL")
                            .execute(&mut *connection)
                            .await?;
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *connection)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(failed)?;
        MIGRATIONS.run(&pool).await.map_err(failed)?;
        Ok(Self { pool, dialect })
    }

    /// The last block whose events are stored, if any.
    pub async fn last_block(&self) -> Result<Option<u64>, StoreError> {
        let row = sqlx::query("SELECT last_block FROM indexed WHERE id = 1")
            .fetch_optional(&self.pool)
            .await
            .map_err(failed)?;
        row.map(|row| row.try_get::<i64, _>(0).map_err(failed).and_then(unsigned))
            .transpose()
    }

    /// Stores `block_number`'s records and marks the block indexed, in one
    /// transaction: after a crash either both are there or neither.
    /// Storing a block again adds nothing.
    pub async fn save_block(
        &self,
        block_number: u64,
        records: &[Record],
    ) -> Result<(), StoreError> {
        self.save_block_with(block_number, records, &[]).await
    }

    /// As `save_block`, with every event of the watched contracts as well.
    pub async fn save_block_with(
        &self,
        block_number: u64,
        records: &[Record],
        events: &[ContractEvent],
    ) -> Result<(), StoreError> {
        let d = self.dialect;
        let insert = format!(
            "INSERT INTO broker_events ({COLUMNS}) VALUES ({}) ON CONFLICT DO NOTHING",
            (1..=13).map(|n| d.arg(n)).collect::<Vec<_>>().join(", ")
        );
        let mark = format!(
            "INSERT INTO indexed (id, last_block) VALUES (1, {}) \
             ON CONFLICT (id) DO UPDATE SET last_block = excluded.last_block",
            d.arg(1)
        );
        let mut transaction = self.pool.begin().await.map_err(failed)?;
        for record in records {
            let Position {
                block_number,
                block_time,
                event_index,
                extrinsic_index,
            } = record.position;
            sqlx::query(&insert)
                .bind(signed(block_number)?)
                .bind(i64::from(event_index))
                .bind(extrinsic_index.map(i64::from))
                .bind(signed(block_time)?)
                .bind(record.kind.to_string())
                .bind(signed(record.booking_id)?)
                .bind(hex(&record.user))
                .bind(hex(&record.miner))
                .bind(record.reason.map(code))
                .bind(signed(record.seconds)?)
                .bind(record.amount.to_string())
                .bind(signed(record.paid_seconds)?)
                .bind(record.paid_amount.to_string())
                .execute(&mut *transaction)
                .await
                .map_err(failed)?;
        }
        let insert_event = format!(
            "INSERT INTO contract_events (block_number, event_index, extrinsic_index, \
             block_time, contract, name, text, data) VALUES ({}) ON CONFLICT DO NOTHING",
            (1..=8).map(|n| d.arg(n)).collect::<Vec<_>>().join(", ")
        );
        for event in events {
            let position = event.position;
            sqlx::query(&insert_event)
                .bind(signed(position.block_number)?)
                .bind(i64::from(position.event_index))
                .bind(position.extrinsic_index.map(i64::from))
                .bind(signed(position.block_time)?)
                .bind(hex(&event.contract))
                .bind(event.name.as_str())
                .bind(event.text.as_str())
                .bind(hex_bytes(&event.data))
                .execute(&mut *transaction)
                .await
                .map_err(failed)?;
        }
        sqlx::query(&mark)
            .bind(signed(block_number)?)
            .execute(&mut *transaction)
            .await
            .map_err(failed)?;
        transaction.commit().await.map_err(failed)
    }

    /// The records `filter` wants after `after`, oldest first, at most `limit`.
    pub async fn query(
        &self,
        filter: &Filter,
        after: Option<Cursor>,
        limit: PageLimit,
    ) -> Result<Page, StoreError> {
        let d = self.dialect;
        let mut conditions = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        // Text parameters first, then numbers: each kept in bind order.
        let mut text = |column: &str, value: String, conditions: &mut Vec<String>| {
            texts.push(value);
            conditions.push(format!("{column} = {{t{}}}", texts.len()));
        };
        if let Some(kind) = filter.kind {
            text("kind", kind.to_string(), &mut conditions);
        }
        if let Some(user) = &filter.user {
            text("user_account", hex(user), &mut conditions);
        }
        if let Some(miner) = &filter.miner {
            text("miner", hex(miner), &mut conditions);
        }
        let mut number = |sql: &str, values: &[i64], conditions: &mut Vec<String>| {
            let mut sql = sql.to_string();
            for value in values {
                numbers.push(*value);
                sql = sql.replacen('#', &format!("{{n{}}}", numbers.len()), 1);
            }
            conditions.push(sql);
        };
        if let Some(reason) = filter.reason {
            number("reason = #", &[code(reason)], &mut conditions);
        }
        if let Some(from) = filter.from_block {
            number("block_number >= #", &[signed(from)?], &mut conditions);
        }
        if let Some(to) = filter.to_block {
            number("block_number <= #", &[signed(to)?], &mut conditions);
        }
        if let Some(Cursor { block, event }) = after {
            number(
                "(block_number > # OR (block_number = # AND event_index > #))",
                &[signed(block)?, signed(block)?, i64::from(event)],
                &mut conditions,
            );
        }
        numbers.push(i64::from(limit.get()));
        let mut sql = format!("SELECT {COLUMNS} FROM broker_events");
        if !conditions.is_empty() {
            sql += &format!(" WHERE {}", conditions.join(" AND "));
        }
        sql += &format!(
            " ORDER BY block_number, event_index LIMIT {{n{}}}",
            numbers.len()
        );
        for n in 1..=texts.len() {
            sql = sql.replace(&format!("{{t{n}}}"), &d.arg(n));
        }
        for n in 1..=numbers.len() {
            sql = sql.replace(&format!("{{n{n}}}"), &d.arg(texts.len() + n));
        }
        let mut query = sqlx::query(&sql);
        for value in &texts {
            query = query.bind(value.as_str());
        }
        for value in &numbers {
            query = query.bind(*value);
        }
        let rows = query.fetch_all(&self.pool).await.map_err(failed)?;
        let records = rows.iter().map(record).collect::<Result<Vec<_>, _>>()?;
        let next = match records.last() {
            Some(last) if records.len() == limit.get() as usize => Some(last.position.into()),
            _ => None,
        };
        Ok(Page { records, next })
    }

    /// Every record of `miner`, oldest first.
    pub async fn miner_history(&self, miner: &AccountId) -> Result<Vec<Record>, StoreError> {
        let filter = Filter {
            miner: Some(*miner),
            ..Filter::default()
        };
        let mut records = Vec::new();
        let mut after = None;
        loop {
            let page = self.query(&filter, after, PageLimit::MAX).await?;
            records.extend(page.records);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(records),
            }
        }
    }

    /// The stored events of the watched contracts named `name` (all if
    /// `None`), oldest first, at most `limit`: (contract, name, text).
    pub async fn contract_events(
        &self,
        name: Option<&str>,
        limit: PageLimit,
    ) -> Result<Vec<(AccountId, String, String)>, StoreError> {
        let limit = i64::from(limit.get());
        let d = self.dialect;
        let rows = match name {
            Some(name) => {
                let sql = format!(
                    "SELECT contract, name, text FROM contract_events WHERE name = {} \
                     ORDER BY block_number, event_index LIMIT {}",
                    d.arg(1),
                    d.arg(2)
                );
                sqlx::query(&sql)
                    .bind(name)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                let sql = format!(
                    "SELECT contract, name, text FROM contract_events \
                     ORDER BY block_number, event_index LIMIT {}",
                    d.arg(1)
                );
                sqlx::query(&sql).bind(limit).fetch_all(&self.pool).await
            }
        }
        .map_err(failed)?;
        rows.iter()
            .map(|row| {
                Ok((
                    account(row, "contract")?,
                    row.try_get("name").map_err(failed)?,
                    row.try_get("text").map_err(failed)?,
                ))
            })
            .collect()
    }

    /// How many events are stored.
    pub async fn count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM broker_events")
            .fetch_one(&self.pool)
            .await
            .map_err(failed)?;
        unsigned(row.try_get::<i64, _>(0).map_err(failed)?)
    }
}

/// An account as the database keys it: its raw bytes in hex.
fn hex(account: &AccountId) -> String {
    Address(*account).hex()
}

/// The account stored in `column`.
fn account(row: &sqlx::any::AnyRow, column: &str) -> Result<AccountId, StoreError> {
    let text: String = row.try_get(column).map_err(failed)?;
    let hex: Hex32 = text.parse().map_err(failed)?;
    Ok(hex.0.into())
}

/// A stop reason as the database keeps it: its code.
fn code(reason: StopReason) -> i64 {
    i64::from(reason as u8)
}

/// The stop reason stored in the `reason` column, if any.
fn reason(row: &sqlx::any::AnyRow) -> Result<Option<StopReason>, StoreError> {
    let code: Option<i64> = row.try_get("reason").map_err(failed)?;
    code.map(|code| {
        u8::try_from(code)
            .ok()
            .and_then(|code| StopReason::try_from(code).ok())
            .ok_or_else(|| StoreError(format!("{code} is not a stop reason")))
    })
    .transpose()
}

fn signed(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError(format!("{value} does not fit the database")))
}

fn unsigned(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError(format!("{value} is negative")))
}

fn record(row: &sqlx::any::AnyRow) -> Result<Record, StoreError> {
    let number = |column: &str| -> Result<u64, StoreError> {
        unsigned(row.try_get::<i64, _>(column).map_err(failed)?)
    };
    let kind: String = row.try_get("kind").map_err(failed)?;
    let amount: String = row.try_get("amount").map_err(failed)?;
    let paid_amount: String = row.try_get("paid_amount").map_err(failed)?;
    let small = |value: Option<i64>| value.and_then(|value| u32::try_from(value).ok());
    Ok(Record {
        position: Position {
            block_number: number("block_number")?,
            block_time: number("block_time")?,
            event_index: u32::try_from(number("event_index")?).map_err(failed)?,
            extrinsic_index: small(row.try_get("extrinsic_index").map_err(failed)?),
        },
        kind: kind.parse::<EventKind>().map_err(failed)?,
        booking_id: number("booking_id")?,
        user: account(row, "user_account")?,
        miner: account(row, "miner")?,
        reason: reason(row)?,
        seconds: number("seconds")?,
        amount: amount.parse().map_err(failed)?,
        paid_amount: paid_amount.parse().map_err(failed)?,
        paid_seconds: number("paid_seconds")?,
    })
}
