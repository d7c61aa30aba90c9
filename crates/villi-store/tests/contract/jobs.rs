//! The job queue and the rate limits.

use villi_store::test_support::TestDb;
use villi_store::{JobStatus, MAX_JOB_ATTEMPTS, StoreError};

use crate::fixtures::{job, minutes, now};

contract!(
    a_due_job_is_claimed_once_and_completed,
    a_job_whose_lease_ran_out_is_claimed_again,
    a_retried_job_waits_for_its_new_time_and_dies_after_the_last_attempt,
    only_a_claimed_job_can_be_completed_or_retried,
    a_rate_limit_allows_the_limit_per_window_and_per_key,
    old_rate_limit_windows_are_pruned,
);

async fn a_due_job_is_claimed_once_and_completed(db: &TestDb) {
    let store = db.store();
    let later = store
        .enqueue_job(&job("email.later", now() + minutes(60)))
        .await
        .unwrap();
    let due = store.enqueue_job(&job("email.now", now())).await.unwrap();
    let claimed = store
        .claim_job(now(), "worker-a", 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, due);
    assert_eq!(claimed.kind, "email.now");
    assert_eq!(claimed.payload, serde_json::json!({ "kind": "email.now" }));
    assert_eq!((claimed.attempts, claimed.status), (1, JobStatus::Claimed));
    assert_eq!(claimed.booking_id, None);
    // Nothing else is due yet.
    assert_eq!(store.claim_job(now(), "worker-b", 60).await.unwrap(), None);
    store.complete_job(due).await.unwrap();
    let done = store.jobs_by_kind("email.now").await.unwrap();
    assert_eq!(done[0].status, JobStatus::Done);
    let next = store
        .claim_job(now() + minutes(60), "worker-b", 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next.id, later);
}

async fn a_job_whose_lease_ran_out_is_claimed_again(db: &TestDb) {
    let store = db.store();
    let id = store.enqueue_job(&job("email.now", now())).await.unwrap();
    store
        .claim_job(now(), "worker-a", 60)
        .await
        .unwrap()
        .unwrap();
    let during = now() + minutes(1) - jiff::SignedDuration::from_secs(1);
    assert_eq!(store.claim_job(during, "worker-b", 60).await.unwrap(), None);
    let again = store
        .claim_job(now() + minutes(1), "worker-b", 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempts), (id, 2));
}

async fn a_retried_job_waits_for_its_new_time_and_dies_after_the_last_attempt(db: &TestDb) {
    let store = db.store();
    let id = store.enqueue_job(&job("email.flaky", now())).await.unwrap();
    let mut t = now();
    for attempt in 1..=MAX_JOB_ATTEMPTS {
        let claimed = store.claim_job(t, "worker", 60).await.unwrap().unwrap();
        assert_eq!((claimed.id, claimed.attempts), (id, attempt));
        let retry_at = t + minutes(5);
        let status = store.retry_job(id, "smtp refused", retry_at).await.unwrap();
        if attempt < MAX_JOB_ATTEMPTS {
            assert_eq!(status, JobStatus::Pending);
            assert_eq!(store.claim_job(t, "worker", 60).await.unwrap(), None);
        } else {
            assert_eq!(status, JobStatus::Dead);
        }
        t = retry_at;
    }
    assert_eq!(
        store
            .claim_job(t + minutes(60), "worker", 60)
            .await
            .unwrap(),
        None
    );
    let dead = store.jobs_by_kind("email.flaky").await.unwrap();
    assert_eq!(dead[0].status, JobStatus::Dead);
    assert_eq!(dead[0].last_error.as_deref(), Some("smtp refused"));
}

async fn only_a_claimed_job_can_be_completed_or_retried(db: &TestDb) {
    let store = db.store();
    let id = store.enqueue_job(&job("email.now", now())).await.unwrap();
    let completed = store.complete_job(id).await;
    assert!(
        matches!(completed, Err(StoreError::NotFound)),
        "{completed:?}"
    );
    let retried = store.retry_job(id, "no", now()).await;
    assert!(matches!(retried, Err(StoreError::NotFound)), "{retried:?}");
    assert!(matches!(
        store.complete_job(999_999).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_rate_limit_allows_the_limit_per_window_and_per_key(db: &TestDb) {
    let store = db.store();
    // now() is on a whole hour, so [now, now + 60 s) is one window.
    let mut allowed = Vec::new();
    for second in 0..4 {
        let t = now() + jiff::SignedDuration::from_secs(second * 10);
        allowed.push(
            store
                .rate_limit_hit("book:203.0.113.7", t, 60, 3)
                .await
                .unwrap(),
        );
    }
    assert_eq!(allowed, [true, true, true, false]);
    assert!(
        store
            .rate_limit_hit("book:198.51.100.1", now(), 60, 3)
            .await
            .unwrap()
    );
    let next_window = now() + minutes(1);
    assert!(
        store
            .rate_limit_hit("book:203.0.113.7", next_window, 60, 3)
            .await
            .unwrap()
    );
    let rows = db
        .scalar("SELECT count(*) FROM rate_limits WHERE key = 'book:203.0.113.7'")
        .await;
    assert_eq!(rows, 1, "the finished window of the key is cleared");
}

async fn old_rate_limit_windows_are_pruned(db: &TestDb) {
    let store = db.store();
    store.rate_limit_hit("a", now(), 60, 5).await.unwrap();
    store
        .rate_limit_hit("b", now() + minutes(10), 60, 5)
        .await
        .unwrap();
    let pruned = store.prune_rate_limits(now() + minutes(5)).await.unwrap();
    assert_eq!(pruned, 1);
    assert_eq!(db.scalar("SELECT count(*) FROM rate_limits").await, 1);
}
