#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Waiting for villi's worker, judged against a jobs table made here.

use std::time::Duration;

use rusqlite::Connection;
use villi_bench::drain::wait_for_worker;

fn jobs_db(dir: &std::path::Path) -> (std::path::PathBuf, Connection) {
    let path = dir.join("villi.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, run_at INTEGER NOT NULL);
         INSERT INTO jobs (status, run_at) VALUES \
         ('pending', 0), ('done', 0), ('pending', 99999999999), ('dead', 0);",
    )
    .unwrap();
    (path, conn)
}

#[tokio::test]
async fn a_due_pending_job_keeps_the_wait_going_until_time_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _conn) = jobs_db(dir.path());
    let d = wait_for_worker(&path, Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(d.due_at_start, 1);
    assert_eq!(d.due_at_end, 1);
    assert!(d.waited_s >= 0.3);
}

#[tokio::test]
async fn the_wait_ends_once_the_worker_has_done_every_due_job() {
    let dir = tempfile::tempdir().unwrap();
    let (path, conn) = jobs_db(dir.path());
    let waiting = tokio::spawn({
        let path = path.clone();
        async move { wait_for_worker(&path, Duration::from_secs(30)).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    conn.execute(
        "UPDATE jobs SET status = 'done' WHERE run_at = 0 AND status = 'pending'",
        [],
    )
    .unwrap();
    let d = waiting.await.unwrap().unwrap();
    assert_eq!((d.due_at_start, d.due_at_end), (1, 0));
    assert!(d.waited_s < 30.0);
}

#[tokio::test]
async fn a_file_without_a_jobs_table_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE other (x INTEGER)")
        .unwrap();
    let err = wait_for_worker(&path, Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("empty.db"), "{err:#}");
}
