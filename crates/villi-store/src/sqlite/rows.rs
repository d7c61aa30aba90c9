//! SQLite rows into the shared row structs of [`crate::rows`], by column
//! index in the order of the `*_columns!` lists, and the query helpers every
//! SQLite operation uses. Every statement goes through SQLite's prepared
//! statement cache: a store call prepares its SQL once per connection.

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Params, Row};
use serde::de::DeserializeOwned;
use sqlx::types::Json;

use crate::error::StoreResult;
use crate::rows::{
    AppointmentTypeRow, AuditRow, BookingRow, ExistingRow, JobRow, OverrideRow, PractitionerRow,
    QuestionRow, WeeklyRuleRow,
};

/// A row struct read from a SQLite row.
pub(super) trait FromSqlite: Sized {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self>;
}

/// The first row of `sql`, if any.
pub(super) fn optional_row<R: FromSqlite>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> StoreResult<Option<R>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params, R::from_row)
        .optional()?)
}

/// Every row of `sql`.
pub(super) fn all_rows<R: FromSqlite>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> StoreResult<Vec<R>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map(params, R::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first column of the first row of `sql`, if any.
pub(super) fn scalar<T: rusqlite::types::FromSql>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
) -> StoreResult<Option<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params, |row| row.get(0))
        .optional()?)
}

/// Runs a statement; returns how many rows it changed.
pub(super) fn execute(conn: &Connection, sql: &str, params: impl Params) -> StoreResult<usize> {
    Ok(conn.prepare_cached(sql)?.execute(params)?)
}

/// JSON stored as text, as sqlx's `Json` stores it.
pub(super) fn json_text<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| crate::StoreError::Internal(format!("JSON: {e}")))
}

fn json<T: DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<Json<T>> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map(Json).map_err(|e| {
        let name = row.as_ref().column_name(index).unwrap_or("?").to_owned();
        rusqlite::Error::FromSqlConversionFailure(index, Type::Text, format!("{name}: {e}").into())
    })
}

impl FromSqlite for PractitionerRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            slug: row.get(1)?,
            name: row.get(2)?,
            email: row.get(3)?,
            time_zone: row.get(4)?,
            bio: row.get(5)?,
            created_at: row.get(6)?,
        })
    }
}

impl FromSqlite for AppointmentTypeRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            slug: row.get(0)?,
            name: row.get(1)?,
            duration_min: row.get(2)?,
            buffer_before_min: row.get(3)?,
            buffer_after_min: row.get(4)?,
            min_notice_min: row.get(5)?,
            horizon_days: row.get(6)?,
            daily_cap: row.get(7)?,
            public: row.get(8)?,
            price_label: row.get(9)?,
            slot_interval_min: row.get(10)?,
        })
    }
}

impl FromSqlite for WeeklyRuleRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            weekday: row.get(0)?,
            window_start: row.get(1)?,
            window_end: row.get(2)?,
            appointment_type: row.get(3)?,
        })
    }
}

impl FromSqlite for OverrideRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            date: row.get(0)?,
            kind: row.get(1)?,
            window_start: row.get(2)?,
            window_end: row.get(3)?,
        })
    }
}

impl FromSqlite for QuestionRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            key: row.get(0)?,
            label: row.get(1)?,
            kind: row.get(2)?,
            options: json(row, 3)?,
            required: row.get(4)?,
        })
    }
}

impl FromSqlite for BookingRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            practitioner_id: row.get(1)?,
            appointment_type: row.get(2)?,
            start_at: row.get(3)?,
            end_at: row.get(4)?,
            block_start: row.get(5)?,
            block_end: row.get(6)?,
            status: row.get(7)?,
            name: row.get(8)?,
            email: row.get(9)?,
            phone: row.get(10)?,
            help_with: row.get(11)?,
            heard_from: row.get(12)?,
            consent: row.get(13)?,
            answers: json(row, 14)?,
            visitor_time_zone: row.get(15)?,
            sequence: row.get(16)?,
            created_at: row.get(17)?,
            updated_at: row.get(18)?,
            cancelled_at: row.get(19)?,
        })
    }
}

impl FromSqlite for ExistingRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            start_at: row.get(0)?,
            block_start: row.get(1)?,
            block_end: row.get(2)?,
            appointment_type: row.get(3)?,
        })
    }
}

impl FromSqlite for JobRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            kind: row.get(1)?,
            booking_id: row.get(2)?,
            payload: json(row, 3)?,
            run_at: row.get(4)?,
            attempts: row.get(5)?,
            status: row.get(6)?,
            last_error: row.get(7)?,
        })
    }
}

impl FromSqlite for AuditRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            actor: row.get(1)?,
            action: row.get(2)?,
            subject: row.get(3)?,
            at: row.get(4)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreError;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT, booking_id TEXT, \
             payload TEXT, run_at INTEGER, attempts INTEGER, status TEXT, last_error TEXT);",
        )
        .unwrap();
        conn
    }

    const JOBS: &str = concat!("SELECT ", crate::rows::job_columns!(), " FROM jobs");

    #[test]
    fn a_stored_row_reads_back_through_the_shared_conversion() {
        let conn = db();
        conn.execute_batch(
            "INSERT INTO jobs VALUES (7, 'email', NULL, '{\"a\":1}', 60, 2, 'pending', NULL)",
        )
        .unwrap();
        let job = all_rows::<JobRow>(&conn, JOBS, [])
            .unwrap()
            .remove(0)
            .into_model()
            .unwrap();
        assert_eq!(job.id, 7);
        assert_eq!(job.payload, serde_json::json!({ "a": 1 }));
        assert_eq!(job.attempts, 2);
    }

    #[test]
    fn a_value_of_the_wrong_type_or_bad_json_is_corrupt_and_named() {
        let conn = db();
        conn.execute_batch(
            "INSERT INTO jobs VALUES (1, 'email', NULL, '{}', 'soon', 0, 'pending', NULL)",
        )
        .unwrap();
        match all_rows::<JobRow>(&conn, JOBS, []) {
            Err(StoreError::Corrupt(why)) => assert!(why.contains("run_at"), "{why}"),
            other => panic!("expected Corrupt, got {:?}", other.map(|v| v.len())),
        }
        conn.execute_batch("UPDATE jobs SET run_at = 0, payload = 'not json'")
            .unwrap();
        match all_rows::<JobRow>(&conn, JOBS, []) {
            Err(StoreError::Corrupt(why)) => assert!(why.contains("payload"), "{why}"),
            other => panic!("expected Corrupt, got {:?}", other.map(|v| v.len())),
        }
    }
}
