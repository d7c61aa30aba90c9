//! What each backend promises beyond the shared contract: SQLite's pragmas,
//! URL forms and busy handling; PostgreSQL's exclusion constraint.

use std::path::PathBuf;
use std::time::Instant;

use villi_store::test_support::TestDb;
use villi_store::{Backend, Store, StoreError};

use crate::fixtures::practitioner;

/// A temporary SQLite file path, removed (with its side files) on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new() -> Self {
        let name = format!("villi_test_{}.db", uuid::Uuid::new_v4().simple());
        Self(std::env::temp_dir().join(name))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = self.0.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(file);
        }
    }
}

#[tokio::test]
async fn sqlite_writes_in_wal_mode_with_full_sync_and_foreign_keys() {
    let db = TestDb::sqlite().await;
    let wal = "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'";
    assert_eq!(db.scalar(wal).await, 1);
    assert_eq!(
        db.scalar("SELECT synchronous FROM pragma_synchronous")
            .await,
        2
    );
    assert_eq!(
        db.scalar("SELECT foreign_keys FROM pragma_foreign_keys")
            .await,
        1
    );
    assert_eq!(
        db.scalar("SELECT timeout FROM pragma_busy_timeout").await,
        5000
    );
}

#[tokio::test]
async fn sqlite_urls_with_and_without_slashes_create_the_file() {
    for form in ["sqlite://", "sqlite:"] {
        let file = TempFile::new();
        let store = Store::connect(&format!("{form}{}", file.0.display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        assert!(file.0.exists(), "{form}: no file");
        practitioner(&store, "ana").await;
        store.close().await;
        // A second opening sees what the first wrote.
        let again = Store::connect(&format!("sqlite://{}", file.0.display()))
            .await
            .unwrap();
        assert_eq!(again.practitioners().await.unwrap().len(), 1);
        again.close().await;
    }
}

#[tokio::test]
async fn an_in_memory_store_reads_what_it_wrote() {
    let store = Store::connect(":memory:").await.unwrap();
    store.migrate().await.unwrap();
    let ana = practitioner(&store, "ana").await;
    assert_eq!(store.practitioner(&ana.id).await.unwrap(), Some(ana));
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused_by_name() {
    let refused = Store::connect("mysql://db/villi").await;
    match refused {
        Err(StoreError::UnsupportedUrl { scheme }) => assert_eq!(scheme, "mysql"),
        Err(other) => panic!("expected UnsupportedUrl, got {other:?}"),
        Ok(_) => panic!("a mysql URL was accepted"),
    }
}

#[tokio::test]
async fn a_sqlite_write_locked_out_past_the_busy_timeout_is_busy() {
    let file = TempFile::new();
    let url = format!("sqlite://{}", file.0.display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    // Another process (here: another connection) holds the write lock.
    let other = rusqlite::Connection::open(&file.0).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let refused = store
        .rate_limit_hit("k", crate::fixtures::now(), 60, 1)
        .await;
    assert!(matches!(refused, Err(StoreError::Busy)), "{refused:?}");
    // A lower bound only: the store waited for the lock instead of failing at once.
    assert!(
        started.elapsed().as_secs() >= 4,
        "gave up before the busy timeout"
    );
    other.execute_batch("ROLLBACK").unwrap();
    assert!(
        store
            .rate_limit_hit("k", crate::fixtures::now(), 60, 1)
            .await
            .unwrap()
    );
    store.close().await;
}

#[tokio::test]
async fn postgresql_guards_bookings_with_the_named_exclusion_constraint() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let constraint = "SELECT count(*) FROM pg_constraint \
        WHERE conname = 'bookings_no_overlap' AND contype = 'x'";
    assert_eq!(db.scalar(constraint).await, 1);
}
