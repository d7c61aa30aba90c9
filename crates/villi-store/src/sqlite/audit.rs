//! The append-only audit trail.

use jiff::Timestamp;
use sqlx::SqliteConnection;

use super::SqliteStore;
use crate::error::StoreResult;
use crate::model::AuditEvent;
use crate::rows::{self, AuditRow, secs};

/// Appends an audit row inside the caller's transaction, so the change and
/// its record commit together or not at all.
pub(super) async fn append(
    conn: &mut SqliteConnection,
    actor: &str,
    action: &str,
    subject: &str,
    at: Timestamp,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO audit_events (actor, action, subject, at) VALUES (?, ?, ?, ?)")
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(secs(at))
        .execute(conn)
        .await?;
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn record_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        append(&mut tx, actor, action, subject, at).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn audit_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, actor, action, subject, at FROM audit_events ORDER BY id DESC LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, AuditRow::into_model)
    }
}
