//! The floor under every booking: how many single-row durable inserts per
//! second SQLite manages on this disk, with villi's settings (WAL,
//! `synchronous=FULL`, one `BEGIN IMMEDIATE` transaction per row).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

use crate::stats::{Latency, rate};

/// What the insert run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InsertReport {
    /// Rows inserted and committed.
    pub rows: u64,
    pub elapsed_s: f64,
    pub rows_per_s: f64,
    /// Time per transaction, from `BEGIN IMMEDIATE` to the end of `COMMIT`.
    pub latency: Latency,
    /// As SQLite reports it after opening: `wal`.
    pub journal_mode: String,
    /// As SQLite reports it: 2 is FULL.
    pub synchronous: i64,
}

/// A row about as wide as a booking: ids, two instants, a name, an email
/// and a small JSON document.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS bench_rows (
    id TEXT PRIMARY KEY,
    practitioner_id TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at INTEGER NOT NULL
)";

/// Inserts rows one durable transaction at a time into the SQLite file at
/// `path` (created if missing) until `max_rows` or `max_duration`.
pub async fn run(
    path: &Path,
    max_rows: u64,
    max_duration: Duration,
) -> anyhow::Result<InsertReport> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await?;
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut conn)
        .await?;
    if journal_mode != "wal" || synchronous != 2 {
        bail!(
            "{}: expected WAL with synchronous=FULL, got journal_mode={journal_mode}, synchronous={synchronous}",
            path.display()
        );
    }
    sqlx::query(CREATE).execute(&mut conn).await?;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM bench_rows")
        .fetch_one(&mut conn)
        .await?;

    let mut latencies = Vec::new();
    let started = Instant::now();
    let deadline = started + max_duration;
    let mut index: u64 = 0;
    while index < max_rows && Instant::now() < deadline {
        let n = i64::try_from(index).context("row index overflow")?;
        let t0 = Instant::now();
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO bench_rows (id, practitioner_id, start_at, end_at, name, email, answers, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(format!("{before:08}-{index:012}"))
        .bind("0196b2f0-0000-7000-8000-000000000001")
        .bind(1_900_000_000 + 5_400 * n)
        .bind(1_900_003_600 + 5_400 * n)
        .bind(format!("Load Visitor {index}"))
        .bind(format!("visitor-{index}@example.org"))
        .bind(r#"{"main_concern":"Bloating or gas"}"#)
        .bind(1_800_000_000_i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        latencies.push(t0.elapsed());
        index += 1;
    }
    let elapsed = started.elapsed();
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM bench_rows")
        .fetch_one(&mut conn)
        .await?;
    // Trust only what the database holds, not the loop counter.
    let rows = u64::try_from(after - before).context("row count went down")?;
    if rows != index {
        bail!("committed {index} rows but the table gained {rows}");
    }
    conn.close().await?;
    Ok(InsertReport {
        rows,
        elapsed_s: elapsed.as_secs_f64(),
        rows_per_s: rate(rows, elapsed),
        latency: Latency::of(&mut latencies),
        journal_mode,
        synchronous,
    })
}
