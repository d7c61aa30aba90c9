//! The SQLite backend: one file, one writer connection, pooled readers.
//!
//! SQLite lets one writer in at a time. Every writing transaction starts with
//! `BEGIN IMMEDIATE`, which takes the write lock up front (and honours the
//! busy timeout); a plain `BEGIN` would upgrade on its first write and fail
//! with "database is locked" under concurrent writers. Check-then-insert is
//! therefore safe: nobody else writes between the check and the insert.

mod appointment_types;
mod audit;
mod availability;
mod batch;
mod bookings;
mod jobs;
mod practitioners;
mod questions;
mod rate_limits;
mod reschedule;

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::error::StoreResult;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const READERS: u32 = 4;

#[derive(Clone)]
pub(crate) struct SqliteStore {
    /// A pool of exactly one connection: SQLite's single writer, queued here
    /// instead of in the busy handler.
    pub(crate) writer: SqlitePool,
    /// Read-only connections; in WAL mode they never block the writer.
    pub(crate) reader: SqlitePool,
    /// Group commit in front of the writer for the busiest writes.
    batcher: batch::Batcher,
}

impl SqliteStore {
    pub(crate) async fn connect(url: &str) -> StoreResult<Self> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let base = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // A booking acknowledged is a booking kept, even after power loss.
            .synchronous(SqliteSynchronous::Full);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            // An in-memory database lives only as long as a connection to it.
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(base.clone().journal_mode(SqliteJournalMode::Wal))
            .await?;
        let reader = if in_memory {
            writer.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(READERS)
                .connect_with(base.pragma("query_only", "ON"))
                .await?
        };
        let batcher = batch::Batcher::start(writer.clone());
        Ok(Self {
            writer,
            reader,
            batcher,
        })
    }

    pub(crate) async fn migrate(&self) -> StoreResult<()> {
        MIGRATIONS.run(&self.writer).await?;
        tracing::debug!(backend = "sqlite", "migrations applied");
        Ok(())
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    pub(crate) async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// Runs `op` inside the next group commit; see [`batch`].
    pub(crate) async fn batched<T, F>(&self, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut sqlx::SqliteConnection) -> batch::BoxFut<'c, StoreResult<T>>
            + Send
            + 'static,
    {
        self.batcher.write(op).await
    }

    /// A writing transaction, holding SQLite's write lock from its first statement.
    pub(crate) async fn write(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }
}
