//! One error type for both backends. Database errors that mean something to a
//! person (a taken slot, a duplicate slug, a busy database) are told apart here
//! so the web layer never has to read SQLSTATEs or SQLite codes.

use std::borrow::Cow;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another active booking of the practitioner overlaps the requested block.
    #[error("the requested time is no longer available")]
    SlotTaken,
    /// The start does not fit the practitioner's calendar (hours, notice,
    /// horizon, grid, daily cap) as it stood inside the transaction.
    #[error("{0}")]
    SlotRejected(villi_domain::booking::SlotRejection),
    /// The email already holds the most upcoming bookings allowed.
    #[error("this email already has the most upcoming bookings allowed")]
    EmailCapReached,
    /// No record with the given id (or a referenced record is missing).
    #[error("no such record")]
    NotFound,
    /// The booking was already cancelled.
    #[error("the booking is no longer active")]
    NotActive,
    /// The idempotency key was used before for a different request.
    #[error("the idempotency key was already used for a different request")]
    IdempotencyMismatch,
    /// A unique constraint other than the booking overlap. `constraint` uses
    /// PostgreSQL's naming on both backends: `practitioners_slug_key`,
    /// `bookings_pkey`.
    #[error("a record with the same {constraint} already exists")]
    Conflict { constraint: String },
    /// SQLite stayed locked past the busy timeout, or PostgreSQL aborted the
    /// transaction for serialization or deadlock; the request may be retried.
    #[error("the database is busy; try again shortly")]
    Busy,
    /// A stored value does not parse (`bookings.start_at`: out of range ...).
    #[error("stored data does not parse: {0}")]
    Corrupt(String),
    /// The database URL names neither SQLite nor PostgreSQL.
    #[error("unsupported database URL scheme '{scheme}': use sqlite:// or postgres://")]
    UnsupportedUrl { scheme: String },
    /// The SQLite URL has a form or option this store does not accept.
    #[error("invalid SQLite URL: {reason}")]
    InvalidUrl { reason: String },
    /// PostgreSQL's error that means nothing more specific.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// SQLite's error that means nothing more specific.
    #[error("database error: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// A write ran but its batch was not committed (the commit failed, or an
    /// earlier write left the transaction unusable); nothing of it was kept.
    #[error("write not committed: {reason}")]
    NotCommitted { reason: String },
    /// The store was closed, or its database thread ended.
    #[error("the database thread has stopped")]
    Stopped,
    /// An operation panicked on a database thread (its writes were undone
    /// and the thread went on), or a database thread could not start.
    #[error("internal store error: {0}")]
    Internal(String),
    /// PostgreSQL's migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A SQLite migration that was applied has been edited since.
    #[error("migration {version} was changed after it was applied (checksum differs)")]
    MigrationChanged { version: i64 },
    /// The SQLite database records a migration this build does not have.
    #[error("the database has migration {version}, which this version does not know")]
    MigrationUnknown { version: i64 },
    /// A SQLite migration failed; nothing of it was kept.
    #[error("migration {version} failed: {source}")]
    MigrationFailed {
        version: i64,
        #[source]
        source: Box<StoreError>,
    },
}

/// Shorthand for results of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut => Self::Busy,
            sqlx::Error::ColumnDecode { index, source } => {
                Self::Corrupt(format!("column {index}: {source}"))
            }
            sqlx::Error::Database(db) => {
                match db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    Some(pg) => classify_postgres(pg.code(), pg.constraint())
                        .unwrap_or(Self::Database(error)),
                    None => Self::Database(error),
                }
            }
            _ => Self::Database(error),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::Error as E;
        match &error {
            E::SqliteFailure(failure, message) => {
                classify_sqlite(failure.extended_code, message.as_deref().unwrap_or(""))
                    .unwrap_or(Self::Sqlite(error))
            }
            E::FromSqlConversionFailure(index, _, source) => {
                Self::Corrupt(format!("column {index}: {source}"))
            }
            E::InvalidColumnType(_, name, stored) => {
                Self::Corrupt(format!("column {name}: stored as {stored}"))
            }
            E::IntegralValueOutOfRange(index, value) => {
                Self::Corrupt(format!("column {index}: {value} out of range"))
            }
            _ => Self::Sqlite(error),
        }
    }
}

fn classify_postgres(code: &str, constraint: Option<&str>) -> Option<StoreError> {
    match code {
        "23P01" => Some(StoreError::SlotTaken),
        "23505" => Some(StoreError::Conflict {
            constraint: constraint.unwrap_or("unknown").to_owned(),
        }),
        "23503" => Some(StoreError::NotFound),
        // serialization_failure, deadlock_detected, lock_not_available
        "40001" | "40P01" | "55P03" => Some(StoreError::Busy),
        _ => None,
    }
}

// Extended result codes from sqlite3.h.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_CONSTRAINT_FOREIGNKEY: i64 = 787;
const SQLITE_CONSTRAINT_PRIMARYKEY: i64 = 1555;
const SQLITE_CONSTRAINT_TRIGGER: i64 = 1811;
const SQLITE_CONSTRAINT_UNIQUE: i64 = 2067;

fn classify_sqlite(code: i32, message: &str) -> Option<StoreError> {
    match i64::from(code) {
        c if c & 0xff == SQLITE_BUSY || c & 0xff == SQLITE_LOCKED => Some(StoreError::Busy),
        SQLITE_CONSTRAINT_TRIGGER if message.contains("bookings_no_overlap") => {
            Some(StoreError::SlotTaken)
        }
        SQLITE_CONSTRAINT_UNIQUE => Some(StoreError::Conflict {
            constraint: sqlite_constraint_name(message, "key").into_owned(),
        }),
        SQLITE_CONSTRAINT_PRIMARYKEY => Some(StoreError::Conflict {
            constraint: sqlite_constraint_name(message, "pkey").into_owned(),
        }),
        SQLITE_CONSTRAINT_FOREIGNKEY => Some(StoreError::NotFound),
        _ => None,
    }
}

/// Turns `UNIQUE constraint failed: practitioners.slug` into the name
/// PostgreSQL gives the same constraint: `practitioners_slug_key`.
fn sqlite_constraint_name<'a>(message: &'a str, suffix: &str) -> Cow<'a, str> {
    let Some((_, columns)) = message.split_once("failed: ") else {
        return Cow::Borrowed(message);
    };
    if let Some(index) = columns.strip_prefix("index '") {
        return Cow::Borrowed(index.trim_end_matches('\''));
    }
    let mut table = "";
    let mut names = Vec::new();
    for qualified in columns.split(',') {
        let (t, column) = qualified.trim().split_once('.').unwrap_or(("", qualified));
        table = t;
        names.push(column.trim());
    }
    if suffix == "pkey" {
        Cow::Owned(format!("{table}_pkey"))
    } else {
        Cow::Owned(format!("{table}_{}_{suffix}", names.join("_")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_unique_messages_become_postgres_constraint_names() {
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: practitioners.slug", "key"),
            "practitioners_slug_key"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: bookings.id", "pkey"),
            "bookings_pkey"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: t.a, t.b", "key"),
            "t_a_b_key"
        );
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: index 'by_email'", "key"),
            "by_email"
        );
    }

    /// The error SQLite gives for `sql` on a small schema like villi's.
    fn sqlite_error(sql: &str) -> StoreError {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE practitioners (id TEXT PRIMARY KEY, slug TEXT UNIQUE);
             CREATE TABLE bookings (id TEXT PRIMARY KEY,
                 practitioner_id TEXT REFERENCES practitioners (id));
             CREATE TRIGGER no_second BEFORE INSERT ON bookings
             WHEN NEW.id = 'second' BEGIN SELECT RAISE(ABORT, 'bookings_no_overlap'); END;
             INSERT INTO practitioners VALUES ('p', 'ana');
             INSERT INTO bookings VALUES ('b', 'p');",
        )
        .unwrap();
        StoreError::from(conn.execute_batch(sql).unwrap_err())
    }

    #[test]
    fn sqlite_constraint_failures_become_the_same_errors_as_postgresql_ones() {
        assert!(matches!(
            sqlite_error("INSERT INTO bookings VALUES ('second', 'p')"),
            StoreError::SlotTaken
        ));
        assert!(matches!(
            sqlite_error("INSERT INTO practitioners VALUES ('q', 'ana')"),
            StoreError::Conflict { constraint } if constraint == "practitioners_slug_key"
        ));
        assert!(matches!(
            sqlite_error("INSERT INTO bookings VALUES ('b', 'p')"),
            StoreError::Conflict { constraint } if constraint == "bookings_pkey"
        ));
        assert!(matches!(
            sqlite_error("INSERT INTO bookings VALUES ('c', 'nobody')"),
            StoreError::NotFound
        ));
        assert!(matches!(
            sqlite_error("SELECT * FROM no_such_table"),
            StoreError::Sqlite(_)
        ));
    }

    #[test]
    fn a_sqlite_write_lock_held_elsewhere_is_busy() {
        let path =
            std::env::temp_dir().join(format!("villi-busy-{}.db", uuid::Uuid::new_v4().simple()));
        let holder = rusqlite::Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let refused = StoreError::from(other.execute_batch("BEGIN IMMEDIATE").unwrap_err());
        assert!(matches!(refused, StoreError::Busy), "{refused:?}");
        drop((holder, other));
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn postgres_exclusion_violations_mean_the_slot_is_taken() {
        assert!(matches!(
            classify_postgres("23P01", Some("bookings_no_overlap")),
            Some(StoreError::SlotTaken)
        ));
        assert!(matches!(
            classify_postgres("40001", None),
            Some(StoreError::Busy)
        ));
        assert!(classify_postgres("42601", None).is_none());
    }
}
