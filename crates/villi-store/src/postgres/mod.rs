//! The PostgreSQL backend, for several servers sharing one database.
//!
//! Transactions run at READ COMMITTED; correctness comes from constraints
//! (`bookings_no_overlap`), row locks (`FOR UPDATE SKIP LOCKED` for jobs),
//! upserts and transaction-scoped advisory locks, never from in-process state.

mod appointment_types;
mod audit;
mod availability;
mod bookings;
mod jobs;
mod practitioners;
mod questions;
mod rate_limits;
mod reschedule;

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::error::StoreResult;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

const CONNECTIONS: u32 = 10;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub(crate) struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    pub(crate) async fn connect(url: &str) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        Ok(Self { pool })
    }

    pub(crate) async fn migrate(&self) -> StoreResult<()> {
        MIGRATIONS.run(&self.pool).await?;
        tracing::debug!(backend = "postgres", "migrations applied");
        Ok(())
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn write(&self) -> StoreResult<Transaction<'static, Postgres>> {
        Ok(self.pool.begin().await?)
    }
}
