//! Waits until villi's background worker has caught up, so that each load
//! run starts from the same state instead of inheriting the previous run's
//! queue of e-mails.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

/// How long the wait took and what was left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Drained {
    /// Jobs that were due when the wait began.
    pub due_at_start: i64,
    /// Jobs still due when the wait ended (0 unless the time ran out).
    pub due_at_end: i64,
    pub waited_s: f64,
}

/// Due jobs: pending or claimed, with a run time not in the future. Reads
/// villi's `jobs` table (run times in Unix seconds).
const DUE: &str = "SELECT count(*) FROM jobs \
    WHERE status IN ('pending', 'claimed') AND run_at <= CAST(strftime('%s', 'now') AS INTEGER)";

/// Polls the villi database at `db` (read-only) until no job is due or
/// `max_wait` has passed.
pub async fn wait_for_worker(db: &Path, max_wait: Duration) -> anyhow::Result<Drained> {
    let opened = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    );
    let conn = opened.with_context(|| format!("opening {} read-only", db.display()))?;
    let started = Instant::now();
    let (mut conn, due_at_start) = count_due(conn)
        .await
        .with_context(|| format!("{}: no villi jobs table?", db.display()))?;
    let mut due = due_at_start;
    while due > 0 && started.elapsed() < max_wait {
        tokio::time::sleep(Duration::from_millis(200)).await;
        (conn, due) = count_due(conn).await?;
    }
    conn.close().map_err(|(_, e)| e)?;
    Ok(Drained {
        due_at_start,
        due_at_end: due,
        waited_s: started.elapsed().as_secs_f64(),
    })
}

/// Counts due jobs on a blocking thread (SQLite calls block) and hands the
/// connection back.
async fn count_due(conn: Connection) -> anyhow::Result<(Connection, i64)> {
    tokio::task::spawn_blocking(move || {
        let due = conn.prepare_cached(DUE)?.query_row([], |row| row.get(0))?;
        Ok((conn, due))
    })
    .await
    .context("the polling thread failed")?
}
