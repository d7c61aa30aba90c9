#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The load driver against the bare axum baseline, and the raw insert run,
//! end to end on this machine.

use std::sync::Arc;
use std::time::Duration;

use hyper::{Method, StatusCode};
use villi_bench::http::Target;
use villi_bench::load::{self, Job, Plan, StopReason};
use villi_bench::{bare, raw_insert};

async fn bare_server() -> Target {
    let (listener, addr) = bare::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(bare::serve(listener));
    Target::parse(&format!("http://{addr}")).unwrap()
}

fn plan(concurrency: usize, max_requests: u64) -> Plan {
    Plan {
        label: "test".into(),
        concurrency,
        max_requests,
        max_duration: Duration::from_secs(60),
        expect: StatusCode::OK,
    }
}

fn get(path: &str) -> load::JobSource {
    let job = Job {
        method: Method::GET,
        path: path.to_owned(),
        body: None,
    };
    Arc::new(move |_| Some(job.clone()))
}

#[tokio::test]
async fn every_request_to_the_static_page_is_answered_and_counted_once() {
    let target = bare_server().await;
    let report = load::run(&target, &plan(4, 200), get("/")).await.unwrap();
    assert_eq!(report.requests, 200);
    assert_eq!(report.ok, 200);
    assert_eq!(report.latency.samples, 200);
    assert!(report.other_statuses.is_empty());
    assert_eq!(report.stopped_by, StopReason::Count);
    assert!(report.ok_per_s > 0.0);
}

#[tokio::test]
async fn answers_with_an_unexpected_status_are_counted_by_status_and_quoted() {
    let target = bare_server().await;
    let report = load::run(&target, &plan(2, 10), get("/missing"))
        .await
        .unwrap();
    assert_eq!(report.ok, 0);
    assert_eq!(report.other_statuses.get(&404), Some(&10));
    let first = report.first_failure.unwrap();
    assert!(first.contains("GET /missing -> 404"), "{first}");
}

#[tokio::test]
async fn a_job_source_that_runs_dry_ends_the_run_early() {
    let target = bare_server().await;
    let source: load::JobSource = Arc::new(|i| {
        (i < 5).then(|| Job {
            method: Method::GET,
            path: "/".into(),
            body: None,
        })
    });
    let report = load::run(&target, &plan(3, 100), source).await.unwrap();
    assert_eq!(report.ok, 5);
    assert_eq!(report.stopped_by, StopReason::Exhausted);
}

#[tokio::test]
async fn a_server_that_is_not_there_fails_the_run_with_the_address() {
    let (listener, addr) = bare::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
    drop(listener);
    let target = Target::parse(&format!("http://{addr}")).unwrap();
    let err = load::run(&target, &plan(1, 1), get("/")).await.unwrap_err();
    assert!(format!("{err:#}").contains(&addr.to_string()), "{err:#}");
}

#[tokio::test]
async fn raw_inserts_are_durable_wal_rows_that_the_table_really_gained() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("raw.sqlite");
    let report = raw_insert::run(&db, 25, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(report.rows, 25);
    assert_eq!(report.journal_mode, "wal");
    assert_eq!(report.synchronous, 2);
    assert_eq!(report.latency.samples, 25);
    // A second run appends to the same file without clashing ids.
    let again = raw_insert::run(&db, 5, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(again.rows, 5);
}
