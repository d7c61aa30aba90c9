//! Fixed-window rate limits kept in the database, so every server sees them.

use jiff::Timestamp;

use super::PgStore;
use crate::error::StoreResult;
use crate::rows::{secs, window_start};

impl PgStore {
    pub(crate) async fn rate_limit_hit(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        limit: u32,
    ) -> StoreResult<bool> {
        let start = window_start(now, window_secs);
        let mut tx = self.write().await?;
        // Earlier windows of this key can never count again.
        sqlx::query("DELETE FROM rate_limits WHERE key = $1 AND window_start < $2")
            .bind(key)
            .bind(start)
            .execute(&mut *tx)
            .await?;
        // The upsert takes the row lock, so concurrent hits count one by one.
        let hits: i64 = sqlx::query_scalar(
            "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
             RETURNING hits",
        )
        .bind(key)
        .bind(start)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(hits <= i64::from(limit))
    }

    pub(crate) async fn prune_rate_limits(&self, before: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(secs(before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
