//! The background worker: claims due jobs from the durable queue and runs
//! them. A job is claimed atomically in the database, so several servers on
//! one PostgreSQL run each job once.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use villi_store::Job;

use crate::AppState;
use crate::booking::emails;

const LEASE_SECS: i64 = 120;
const IDLE_POLL: Duration = Duration::from_secs(2);
/// How often spent rate-limit windows and idempotency keys are removed, and
/// how old they must be.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
const PRUNE_AGE: SignedDuration = SignedDuration::from_hours(48);

/// Nice value of the worker thread: the lowest CPU priority there is.
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: i32 = 19;

/// Starts [`run`] on a thread of its own at the lowest CPU priority, driven
/// by the runtime behind `runtime` (its I/O and timers).
///
/// When a burst of visitors keeps the CPU busy, their requests are answered
/// first and the emails wait a little: jobs are durable rows, so a late job
/// is never a lost one, and the worker catches up as soon as the CPU is free.
pub fn spawn_background(
    runtime: tokio::runtime::Handle,
    state: AppState,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("villi-worker".to_owned())
        .spawn(move || {
            lower_own_priority();
            runtime.block_on(run(state, shutdown));
        })
}

#[cfg(target_os = "linux")]
fn lower_own_priority() {
    // On Linux a thread id given to PRIO_PROCESS names that thread alone.
    let me = rustix::thread::gettid();
    if let Err(e) = rustix::process::setpriority_process(Some(me), BACKGROUND_NICE) {
        tracing::debug!(error = %e, "worker keeps its normal CPU priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_own_priority() {}

/// Runs until `shutdown` fires; finishes the jobs in hand first.
pub async fn run(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let worker_id = format!("worker-{}", uuid::Uuid::new_v4().simple());
    tracing::info!(%worker_id, "worker started");
    let mut pruned_at = tokio::time::Instant::now();
    loop {
        if *shutdown.borrow() {
            break;
        }
        if pruned_at.elapsed() >= PRUNE_EVERY {
            pruned_at = tokio::time::Instant::now();
            prune(&state).await;
        }
        // Four jobs in hand at once: their claims and completions share
        // commits, and one slow mail server does not hold up the rest.
        let ran = tokio::join!(
            run_one(&state, &worker_id),
            run_one(&state, &worker_id),
            run_one(&state, &worker_id),
            run_one(&state, &worker_id),
        );
        let mut any = false;
        for outcome in [ran.0, ran.1, ran.2, ran.3] {
            match outcome {
                Ok(done) => any |= done,
                Err(e) => tracing::warn!(error = %e, "worker could not claim a job"),
            }
        }
        if any {
            continue;
        }
        tokio::select! {
            _ = state.worker_wake.notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("worker stopped");
}

/// Removes rate-limit windows that can no longer count, and idempotency
/// keys no client will retry with any more.
async fn prune(state: &AppState) {
    let now = Timestamp::now();
    let before = now.saturating_sub(PRUNE_AGE).unwrap_or(now);
    match state.store.prune_rate_limits(before).await {
        Ok(n) => tracing::debug!(rows = n, "pruned old rate-limit windows"),
        Err(e) => tracing::warn!(error = %e, "could not prune rate-limit windows"),
    }
    match state.store.prune_idempotency_keys(before).await {
        Ok(n) => tracing::debug!(rows = n, "pruned old idempotency keys"),
        Err(e) => tracing::warn!(error = %e, "could not prune idempotency keys"),
    }
}

/// Claims and runs one due job; `Ok(false)` when none was due.
pub async fn run_one(state: &AppState, worker_id: &str) -> Result<bool, villi_store::StoreError> {
    run_one_at(state, worker_id, Timestamp::now()).await
}

/// [`run_one`] as if the clock showed `now`: jobs due by then are run.
pub async fn run_one_at(
    state: &AppState,
    worker_id: &str,
    now: Timestamp,
) -> Result<bool, villi_store::StoreError> {
    let Some(job) = state.store.claim_job(now, worker_id, LEASE_SECS).await? else {
        return Ok(false);
    };
    match perform(state, &job).await {
        Ok(()) => state.store.complete_job(job.id).await?,
        Err(error) => {
            let backoff = SignedDuration::from_secs(30 * i64::from(1 + job.attempts.min(10)));
            tracing::warn!(job = job.id, kind = %job.kind, %error, "job failed; will retry");
            state
                .store
                .retry_job(job.id, &error, now.saturating_add(backoff).unwrap_or(now))
                .await?;
        }
    }
    Ok(true)
}

async fn perform(state: &AppState, job: &Job) -> Result<(), String> {
    let Some(booking_id) = &job.booking_id else {
        return Err(format!("job kind '{}' needs a booking", job.kind));
    };
    let booking = state
        .store
        .booking(booking_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("booking no longer exists")?;
    let practitioner = state
        .store
        .practitioner(&booking.practitioner_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("practitioner no longer exists")?;
    let Some(email) = emails::for_job(
        &job.kind,
        &job.payload,
        &state.settings,
        &booking,
        &practitioner,
    ) else {
        return Ok(());
    };
    state
        .mailer
        .send(&state.settings.mail_from, &email)
        .await
        .map_err(|e| e.to_string())
}
