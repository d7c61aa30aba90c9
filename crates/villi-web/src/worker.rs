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

/// Runs until `shutdown` fires; finishes the job in hand first.
pub async fn run(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let worker_id = format!("worker-{}", uuid::Uuid::new_v4().simple());
    tracing::info!(%worker_id, "worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        match run_one(&state, &worker_id).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "worker could not claim a job"),
        }
        tokio::select! {
            _ = state.worker_wake.notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("worker stopped");
}

/// Claims and runs one due job; `Ok(false)` when none was due.
pub async fn run_one(state: &AppState, worker_id: &str) -> Result<bool, villi_store::StoreError> {
    let now = Timestamp::now();
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
