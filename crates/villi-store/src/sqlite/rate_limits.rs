//! Fixed-window rate limits kept in the database, so every process sees them.

use jiff::Timestamp;

use super::SqliteStore;
use crate::error::StoreResult;
use crate::rows::{secs, window_start};

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
        let hits: i64 = self
            .batched(move |tx| {
                Box::pin(async move {
                    // Earlier windows of this key can never count again.
                    sqlx::query("DELETE FROM rate_limits WHERE key = ? AND window_start < ?")
                        .bind(&key)
                        .bind(start)
                        .execute(&mut *tx)
                        .await?;
                    let hits: i64 = sqlx::query_scalar(
                        "INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1) \
                         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
                         RETURNING hits",
                    )
                    .bind(&key)
                    .bind(start)
                    .fetch_one(&mut *tx)
                    .await?;
                    Ok(hits)
                })
            })
            .await?;
        Ok(hits <= i64::from(limit))
    }

    pub(crate) async fn prune_rate_limits(&self, before: Timestamp) -> StoreResult<u64> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < ?")
            .bind(secs(before))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
