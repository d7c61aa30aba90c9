//! The store contract: every test body runs against SQLite and PostgreSQL.
//!
//! PostgreSQL comes from `VILLI_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test gets its own
//! database. Without a reachable server the PostgreSQL half prints why it
//! skipped, unless `VILLI_REQUIRE_ALL=1` makes that a failure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Declares, for each named `async fn(&TestDb)` in the calling module, a
/// module of the same name holding a `sqlite` and a `postgres` test.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = villi_store::test_support::TestDb::sqlite().await;
                super::$name(&db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = villi_store::test_support::TestDb::postgres().await else {
                    return;
                };
                super::$name(&db).await;
            }
        }
    )*};
}

mod availability;
mod backends;
mod bookings;
mod calendar;
mod changes;
mod fixtures;
mod jobs;
mod practice;
mod races;
