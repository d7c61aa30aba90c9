//! The floor under every booking: how many single-row durable inserts per
//! second SQLite manages on this disk, with villi's settings (WAL,
//! `synchronous=FULL`, one `BEGIN IMMEDIATE` transaction per row).
//!
//! The simplest fast way there is: one connection called directly on one
//! thread, one cached prepared statement, nothing between the loop and
//! SQLite, so the number is the disk's and SQLite's, not a driver's.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

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
    let path = path.to_owned();
    // SQLite is called synchronously; the whole run gets a thread of its own.
    tokio::task::spawn_blocking(move || insert_rows(&path, max_rows, max_duration))
        .await
        .context("the insert thread failed")?
}

fn insert_rows(path: &Path, max_rows: u64, max_duration: Duration) -> anyhow::Result<InsertReport> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("opening {}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Checked, not assumed: the numbers only mean something with these.
    let journal_mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
    let synchronous: i64 = conn.query_row("PRAGMA synchronous", [], |row| row.get(0))?;
    if journal_mode != "wal" || synchronous != 2 {
        bail!(
            "{}: expected WAL with synchronous=FULL, got journal_mode={journal_mode}, synchronous={synchronous}",
            path.display()
        );
    }
    conn.execute(CREATE, [])?;
    let count = "SELECT count(*) FROM bench_rows";
    let before: i64 = conn.query_row(count, [], |row| row.get(0))?;

    let mut latencies = Vec::new();
    let started = Instant::now();
    let deadline = started + max_duration;
    let mut index: u64 = 0;
    while index < max_rows && Instant::now() < deadline {
        let n = i64::try_from(index).context("row index overflow")?;
        let t0 = Instant::now();
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        conn.prepare_cached(
            "INSERT INTO bench_rows (id, practitioner_id, start_at, end_at, name, email, answers, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )?
        .execute(rusqlite::params![
            format!("{before:08}-{index:012}"),
            "0196b2f0-0000-7000-8000-000000000001",
            1_900_000_000 + 5_400 * n,
            1_900_003_600 + 5_400 * n,
            format!("Load Visitor {index}"),
            format!("visitor-{index}@example.org"),
            r#"{"main_concern":"Bloating or gas"}"#,
            1_800_000_000_i64,
        ])?;
        conn.prepare_cached("COMMIT")?.execute([])?;
        latencies.push(t0.elapsed());
        index += 1;
    }
    let elapsed = started.elapsed();
    let after: i64 = conn.query_row(count, [], |row| row.get(0))?;
    // Trust only what the database holds, not the loop counter.
    let rows = u64::try_from(after - before).context("row count went down")?;
    if rows != index {
        bail!("committed {index} rows but the table gained {rows}");
    }
    conn.close().map_err(|(_, e)| e)?;
    Ok(InsertReport {
        rows,
        elapsed_s: elapsed.as_secs_f64(),
        rows_per_s: rate(rows, elapsed),
        latency: Latency::of(&mut latencies),
        journal_mode,
        synchronous,
    })
}
