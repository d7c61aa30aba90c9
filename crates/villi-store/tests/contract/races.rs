//! Many requests at once: the database must leave exactly one winner.
//!
//! Outcomes are judged by counting rows in the database, not by trusting the
//! results the store returned.

use std::sync::Arc;

use tokio::sync::Barrier;
use villi_store::test_support::TestDb;
use villi_store::{Reschedule, Store, StoreError};

use crate::fixtures::{at, booking, create, job, minutes, now, practice};

contract!(
    sixty_four_concurrent_bookings_of_one_slot_leave_exactly_one_row,
    a_long_block_and_a_short_block_racing_for_the_same_time_leave_one,
    concurrent_reschedules_into_one_slot_leave_one_there,
    ten_concurrent_requests_with_one_idempotency_key_make_one_booking,
    two_workers_claim_each_of_fifty_jobs_exactly_once,
);

/// Overlapping pairs of active blocks of one practitioner: must be 0.
const OVERLAPS: &str = "SELECT count(*) FROM bookings a JOIN bookings b \
    ON a.practitioner_id = b.practitioner_id AND a.id < b.id \
    AND a.block_start < b.block_end AND b.block_start < a.block_end \
    WHERE a.status = 'active' AND b.status = 'active'";

/// Runs `n` copies of `work` released together; returns their results.
async fn together<T, F, Fut>(n: usize, work: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let task = work(i);
            tokio::spawn(async move {
                barrier.wait().await;
                task.await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

fn tally(results: &[Result<(), StoreError>]) -> (usize, usize) {
    let won = results.iter().filter(|r| r.is_ok()).count();
    let taken = results
        .iter()
        .filter(|r| matches!(r, Err(StoreError::SlotTaken)))
        .count();
    let other: Vec<_> = results
        .iter()
        .filter(|r| !matches!(r, Ok(()) | Err(StoreError::SlotTaken)))
        .collect();
    assert!(other.is_empty(), "unexpected outcomes: {other:?}");
    (won, taken)
}

async fn sixty_four_concurrent_bookings_of_one_slot_leave_exactly_one_row(db: &TestDb) {
    let store = db.store().clone();
    let ana = practice(&store).await;
    let results = together(64, |_| {
        let store = store.clone();
        let request = create(booking(&ana, at(10, 0), 15, 0));
        async move { store.create_booking(&request).await.map(|_| ()) }
    })
    .await;
    assert_eq!(tally(&results), (1, 63));
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 1);
    assert_eq!(db.scalar("SELECT count(*) FROM audit_events").await, 1);
}

async fn a_long_block_and_a_short_block_racing_for_the_same_time_leave_one(db: &TestDb) {
    let store = db.store().clone();
    let ana = practice(&store).await;
    for round in 0..8_i8 {
        let hour = 8 + round;
        let long = create(booking(&ana, at(hour, 0), 60, 0));
        let short = create(booking(&ana, at(hour, 30), 15, 0));
        let requests = [long, short];
        let results = together(2, |i| {
            let store = store.clone();
            let request = requests[i].clone();
            async move { store.create_booking(&request).await.map(|_| ()) }
        })
        .await;
        assert_eq!(tally(&results), (1, 1), "round {round}");
    }
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 8);
    assert_eq!(db.scalar(OVERLAPS).await, 0);
}

async fn concurrent_reschedules_into_one_slot_leave_one_there(db: &TestDb) {
    let store = db.store().clone();
    let ana = practice(&store).await;
    let mut ids = Vec::new();
    for i in 0..16 {
        let new = booking(&ana, at(8, 0) + minutes(15 * i), 15, 0);
        ids.push(new.id.clone());
        store.create_booking(&create(new)).await.unwrap();
    }
    let target = at(14, 0);
    let results = together(ids.len(), |i| {
        let store: Store = store.clone();
        let request = Reschedule {
            id: ids[i].clone(),
            start: target,
            end: target + minutes(15),
            block: villi_domain::booking::Block {
                start: target,
                end: target + minutes(15),
            },
            token_expires_at: target,
            now: now(),
            jobs: vec![job("reminder.24h", target - minutes(24 * 60))],
            calendar: None,
        };
        async move { store.reschedule_booking(&request).await.map(|_| ()) }
    })
    .await;
    assert_eq!(tally(&results), (1, 15));
    let at_target = "SELECT count(*) FROM bookings WHERE status = 'active' \
        AND start_at = (SELECT max(start_at) FROM bookings)";
    assert_eq!(db.scalar(at_target).await, 1);
    assert_eq!(
        db.scalar("SELECT count(*) FROM bookings WHERE sequence = 1")
            .await,
        1
    );
    assert_eq!(db.scalar("SELECT count(*) FROM jobs").await, 1);
    assert_eq!(db.scalar(OVERLAPS).await, 0);
}

async fn ten_concurrent_requests_with_one_idempotency_key_make_one_booking(db: &TestDb) {
    let store = db.store().clone();
    let ana = practice(&store).await;
    let template = create(booking(&ana, at(10, 0), 15, 0));
    let results = together(10, |_| {
        let store = store.clone();
        let mut request = template.clone();
        // Each retry arrives with its own booking id; the key must win.
        request.booking.id = uuid::Uuid::new_v4().to_string();
        request.idempotency = Some(("double-click".to_owned(), "same-form".to_owned()));
        request.jobs = vec![job("email.confirmation", now())];
        async move { store.create_booking(&request).await }
    })
    .await;
    let created: Vec<_> = results.into_iter().map(Result::unwrap).collect();
    let first = &created[0].booking.id;
    assert!(created.iter().all(|c| &c.booking.id == first));
    assert_eq!(created.iter().filter(|c| !c.replayed).count(), 1);
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 1);
    assert_eq!(db.scalar("SELECT count(*) FROM idempotency_keys").await, 1);
    assert_eq!(db.scalar("SELECT count(*) FROM jobs").await, 1);
}

async fn two_workers_claim_each_of_fifty_jobs_exactly_once(db: &TestDb) {
    let store = db.store().clone();
    for i in 0..50 {
        store
            .enqueue_job(&job(&format!("email.{i}"), now()))
            .await
            .unwrap();
    }
    let claims = together(2, |w| {
        let store = store.clone();
        async move {
            let mut mine = Vec::new();
            while let Some(job) = store
                .claim_job(now(), &format!("worker-{w}"), 600)
                .await
                .unwrap()
            {
                store.complete_job(job.id).await.unwrap();
                mine.push(job.id);
            }
            mine
        }
    })
    .await;
    let mut all: Vec<i64> = claims.concat();
    all.sort_unstable();
    all.dedup();
    assert_eq!(claims.iter().map(Vec::len).sum::<usize>(), 50);
    assert_eq!(all.len(), 50);
    assert_eq!(
        db.scalar("SELECT count(*) FROM jobs WHERE status = 'done'")
            .await,
        50
    );
    assert_eq!(db.scalar("SELECT max(attempts) FROM jobs").await, 1);
}
