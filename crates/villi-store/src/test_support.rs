//! Throw-away databases for tests (feature `test-support`).
//!
//! [`TestDb::sqlite`] makes a migrated store in a fresh file under the
//! system's temporary directory; [`TestDb::postgres`] creates a database
//! `villi_test_<uuid>` through the admin URL in `VILLI_TEST_DATABASE_URL`
//! (default [`DEFAULT_POSTGRES_URL`]). Both are removed when the `TestDb` is
//! dropped. Where PostgreSQL is unreachable the helper prints
//! `skipped: PostgreSQL not reachable at <url>` and returns `None`, unless
//! `VILLI_REQUIRE_ALL=1`, when it panics instead.
//!
//! These helpers panic on failure: they exist to set up tests.

use std::path::PathBuf;
use std::time::Duration;

use sqlx::{Connection, PgConnection};

use crate::store::Inner;
use crate::{Backend, Store};

/// The admin URL used when `VILLI_TEST_DATABASE_URL` is not set.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A migrated store over a database that exists only for one test.
pub struct TestDb {
    store: Store,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(PathBuf),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Another handle on a database some other `TestDb` owns.
    Nothing,
}

/// The PostgreSQL admin URL tests use.
pub fn postgres_admin_url() -> String {
    std::env::var("VILLI_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// Whether every test must run (`VILLI_REQUIRE_ALL=1`): a missing service
/// is then a failure, not a skip.
pub fn require_all() -> bool {
    std::env::var("VILLI_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// `url` with its database name replaced by `name`, query string kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// `url` with any password replaced by `***`, for messages.
pub fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority
        .rfind('@')
        .and_then(|at| authority[..at].find(':'))
    {
        Some(colon) => {
            let at = authority.rfind('@').unwrap_or(colon);
            format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &authority[..colon],
                &rest[at..]
            )
        }
        None => url.to_owned(),
    }
}

impl TestDb {
    /// A fresh store of the given backend; `None` when PostgreSQL is
    /// unreachable and not required.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A fresh, migrated SQLite store in a new temporary file.
    pub async fn sqlite() -> TestDb {
        let path =
            std::env::temp_dir().join(format!("villi_test_{}.db", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("opening test database {url}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("migrating test database {url}: {e}"));
        TestDb {
            store,
            url,
            cleanup: Cleanup::SqliteFile(path),
        }
    }

    /// A fresh, migrated PostgreSQL database, or `None` (with a printed
    /// reason) when the server cannot be reached.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        let connected =
            tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect(&admin_url)).await;
        let mut admin = match connected {
            Ok(Ok(conn)) => conn,
            Ok(Err(_)) | Err(_) => {
                let shown = without_password(&admin_url);
                assert!(
                    !require_all(),
                    "PostgreSQL not reachable at {shown} and VILLI_REQUIRE_ALL=1"
                );
                println!("skipped: PostgreSQL not reachable at {shown}");
                return None;
            }
        };
        let name = format!("villi_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("creating database {name}: {e}"));
        // Closing is a courtesy; a failure here changes nothing for the test.
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        let db = TestDb {
            store: Store::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("opening test database {name}: {e}")),
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        };
        db.store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("migrating test database: {e}"));
        Some(db)
    }

    /// A second, independent handle on the database at `url` (another
    /// `TestDb`'s), as another process would open it; it removes nothing.
    pub async fn attach(url: &str) -> TestDb {
        let store = Store::connect(url)
            .await
            .unwrap_or_else(|e| panic!("opening {}: {e}", without_password(url)));
        TestDb {
            store,
            url: url.to_owned(),
            cleanup: Cleanup::Nothing,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The URL this database is reached at.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Runs a query returning one integer (`SELECT count(*) FROM bookings
    /// WHERE ...`) directly on the database, so tests can judge outcomes
    /// without going through the API under test.
    pub async fn scalar(&self, sql: &'static str) -> i64 {
        let result = match &self.store.inner {
            Inner::Sqlite(db) => {
                db.alone(move |conn| {
                    let mut statement = conn.prepare_cached(sql)?;
                    Ok(statement.query_row([], |row| row.get::<_, i64>(0))?)
                })
                .await
            }
            Inner::Postgres(db) => sqlx::query_scalar(sql)
                .fetch_one(&db.pool)
                .await
                .map_err(crate::StoreError::from),
        };
        result.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a statement directly on the database; returns the rows affected.
    pub async fn execute(&self, sql: &'static str) -> Result<u64, crate::StoreError> {
        let done = match &self.store.inner {
            Inner::Sqlite(db) => {
                let changed = db
                    .alone(move |conn| Ok(conn.prepare_cached(sql)?.execute([])?))
                    .await?;
                u64::try_from(changed).unwrap_or(u64::MAX)
            }
            Inner::Postgres(db) => sqlx::query(sql).execute(&db.pool).await?.rows_affected(),
        };
        self.store.count_raw_change();
        Ok(done)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Nothing => {}
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    // Missing side files are normal.
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot be blocked
                // on; a short-lived runtime on its own thread does the work.
                let dropped = std::thread::spawn(move || drop_database(&admin_url, &name)).join();
                if let Ok(Err(message)) = dropped {
                    eprintln!("{message}");
                }
            }
        }
    }
}

fn drop_database(admin_url: &str, name: &str) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("dropping {name}: no runtime: {e}"))?;
    runtime.block_on(async {
        let mut admin = PgConnection::connect(admin_url)
            .await
            .map_err(|e| format!("dropping {name}: {e}"))?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut admin)
        .await
        .map_err(|e| format!("dropping {name}: {e}"))?;
        let _ = admin.close().await;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::{with_database, without_password};

    #[test]
    fn messages_never_show_a_database_password() {
        assert_eq!(
            without_password("postgres://villi:s3cret@db:5432/test"),
            "postgres://villi:***@db:5432/test"
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(without_password("postgres://db/test"), "postgres://db/test");
    }

    #[test]
    fn a_test_database_name_replaces_the_admin_database_and_keeps_options() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "villi_test_1"),
            "postgres://postgres@127.0.0.1:5432/villi_test_1"
        );
        assert_eq!(
            with_database("postgres://u:p@db/test?sslmode=disable", "x"),
            "postgres://u:p@db/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://db", "x"), "postgres://db/x");
    }
}
