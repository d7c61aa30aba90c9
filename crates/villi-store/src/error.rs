//! One error type for both backends. Database errors that mean something to a
//! person (a taken slot, a duplicate slug, a busy database) are told apart here
//! so the web layer never has to read SQLSTATEs or SQLite codes.

use std::borrow::Cow;

use sqlx::error::DatabaseError;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another active booking of the practitioner overlaps the requested block.
    #[error("the requested time is no longer available")]
    SlotTaken,
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
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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
                if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    classify_postgres(pg.code(), pg.constraint()).unwrap_or(Self::Database(error))
                } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    classify_sqlite(db.as_ref()).unwrap_or(Self::Database(error))
                } else {
                    Self::Database(error)
                }
            }
            _ => Self::Database(error),
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

fn classify_sqlite(db: &dyn DatabaseError) -> Option<StoreError> {
    let code: i64 = db.code().as_deref().and_then(|c| c.parse().ok())?;
    let message = db.message();
    match code {
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
