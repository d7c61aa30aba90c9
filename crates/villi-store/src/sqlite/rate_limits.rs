//! Fixed-window rate limits kept in the database, so every process sees them.

use jiff::Timestamp;
use rusqlite::Connection;

use super::SqliteStore;
use super::rows::{execute, scalar};
use crate::error::{StoreError, StoreResult};
use crate::rows::{secs, window_start};

fn hit_in(tx: &Connection, key: &str, start: i64) -> StoreResult<i64> {
    // Earlier windows of this key can never count again.
    execute(
        tx,
        "DELETE FROM rate_limits WHERE key = ? AND window_start < ?",
        (key, start),
    )?;
    let hits: Option<i64> = scalar(
        tx,
        "INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
         RETURNING hits",
        (key, start),
    )?;
    hits.ok_or_else(|| StoreError::Internal("the upsert returned no hit count".to_owned()))
}

impl SqliteStore {
    pub(crate) async fn rate_limit_hit(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        limit: u32,
    ) -> StoreResult<bool> {
        let start = window_start(now, window_secs);
        let key = key.to_owned();
        let hits = self.write(move |tx| hit_in(tx, &key, start)).await?;
        Ok(hits <= i64::from(limit))
    }

    pub(crate) async fn prune_rate_limits(&self, before: Timestamp) -> StoreResult<u64> {
        let done = self
            .write(move |tx| {
                execute(
                    tx,
                    "DELETE FROM rate_limits WHERE window_start < ?",
                    [secs(before)],
                )
            })
            .await?;
        Ok(u64::try_from(done).unwrap_or(u64::MAX))
    }
}
