//! The append-only audit trail.

use jiff::Timestamp;
use rusqlite::Connection;

use super::SqliteStore;
use super::rows::{all_rows, execute};
use crate::error::StoreResult;
use crate::model::AuditEvent;
use crate::rows::{self, AuditRow, secs};

/// Appends an audit row inside the writer's transaction, so the change and
/// its record commit together or not at all.
pub(super) fn append(
    conn: &Connection,
    actor: &str,
    action: &str,
    subject: &str,
    at: Timestamp,
) -> StoreResult<()> {
    execute(
        conn,
        "INSERT INTO audit_events (actor, action, subject, at) VALUES (?, ?, ?, ?)",
        (actor, action, subject, secs(at)),
    )?;
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
        let (actor, action, subject) = (actor.to_owned(), action.to_owned(), subject.to_owned());
        self.write(move |tx| append(tx, &actor, &action, &subject, at))
            .await
    }

    pub(crate) async fn audit_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        self.read(move |conn| {
            let rows: Vec<AuditRow> = all_rows(
                conn,
                "SELECT id, actor, action, subject, at FROM audit_events ORDER BY id DESC LIMIT ?",
                [i64::from(limit)],
            )?;
            rows::all(rows, AuditRow::into_model)
        })
        .await
    }
}
