//! The durable job queue. A claim runs inside `BEGIN IMMEDIATE`, so two
//! workers can never take the same job.

use jiff::Timestamp;
use sqlx::SqliteConnection;
use sqlx::types::Json;

use super::SqliteStore;
use crate::error::{StoreError, StoreResult};
use crate::model::{Job, JobStatus, MAX_JOB_ATTEMPTS, NewJob};
use crate::rows::{self, JobRow, job_columns, secs};

/// Queues `jobs` inside the caller's transaction; `booking_id`, when given,
/// overrides each job's own.
pub(super) async fn insert(
    conn: &mut SqliteConnection,
    booking_id: Option<&str>,
    jobs: &[NewJob],
    now: Timestamp,
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(jobs.len());
    for job in jobs {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (kind, booking_id, payload, run_at, status, attempts, \
             created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
        )
        .bind(&job.kind)
        .bind(booking_id.or(job.booking_id.as_deref()))
        .bind(Json(&job.payload))
        .bind(secs(job.run_at))
        .bind(secs(now))
        .bind(secs(now))
        .fetch_one(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Deletes a booking's reminders that have not started; a reminder already
/// claimed by a worker is left to finish.
pub(super) async fn drop_reminders(
    conn: &mut SqliteConnection,
    booking_id: &str,
) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM jobs WHERE booking_id = ? AND status = 'pending' \
         AND substr(kind, 1, 8) = 'reminder'",
    )
    .bind(booking_id)
    .execute(conn)
    .await?;
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn enqueue_job(&self, job: &NewJob) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let ids = insert(&mut tx, None, std::slice::from_ref(job), Timestamp::now()).await?;
        tx.commit().await?;
        ids.first().copied().ok_or(StoreError::NotFound)
    }

    pub(crate) async fn claim_job(
        &self,
        now: Timestamp,
        worker: &str,
        lease_secs: i64,
    ) -> StoreResult<Option<Job>> {
        let worker = worker.to_owned();
        let row: Option<JobRow> = self
            .batched(move |tx| {
                Box::pin(async move { claim_in(tx, now, &worker, lease_secs).await })
            })
            .await?;
        row.map(JobRow::into_model).transpose()
    }
}

/// Claims the next due job inside the caller's transaction.
async fn claim_in(
    tx: &mut SqliteConnection,
    now: Timestamp,
    worker: &str,
    lease_secs: i64,
) -> StoreResult<Option<JobRow>> {
    // A job whose worker keeps dying would otherwise be claimed forever.
    sqlx::query(
        "UPDATE jobs SET status = 'dead', updated_at = ?1 \
             WHERE status = 'claimed' AND lease_until <= ?1 AND attempts >= ?2",
    )
    .bind(secs(now))
    .bind(i64::from(MAX_JOB_ATTEMPTS))
    .execute(&mut *tx)
    .await?;
    let row: Option<JobRow> = sqlx::query_as(concat!(
        "UPDATE jobs SET status = 'claimed', locked_by = ?2, lease_until = ?3, \
             attempts = attempts + 1, updated_at = ?1 \
             WHERE id = (SELECT id FROM jobs \
                 WHERE (status = 'pending' AND run_at <= ?1) \
                    OR (status = 'claimed' AND lease_until <= ?1) \
                 ORDER BY run_at, id LIMIT 1) \
             RETURNING ",
        job_columns!()
    ))
    .bind(secs(now))
    .bind(worker)
    .bind(secs(now).saturating_add(lease_secs))
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row)
}

impl SqliteStore {
    pub(crate) async fn complete_job(&self, id: i64) -> StoreResult<()> {
        self.batched(move |tx| Box::pin(async move { complete_in(tx, id).await }))
            .await
    }
}

async fn complete_in(tx: &mut SqliteConnection, id: i64) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, \
             updated_at = ? WHERE id = ? AND status = 'claimed'",
    )
    .bind(secs(Timestamp::now()))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

impl SqliteStore {
    pub(crate) async fn retry_job(
        &self,
        id: i64,
        error: &str,
        run_at: Timestamp,
    ) -> StoreResult<JobStatus> {
        let mut tx = self.write().await?;
        let status: Option<String> = sqlx::query_scalar(
            "UPDATE jobs SET status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END, \
             run_at = ?, last_error = ?, locked_by = NULL, lease_until = NULL, updated_at = ? \
             WHERE id = ? AND status = 'claimed' RETURNING status",
        )
        .bind(i64::from(MAX_JOB_ATTEMPTS))
        .bind(secs(run_at))
        .bind(error)
        .bind(secs(Timestamp::now()))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        let status = status.ok_or(StoreError::NotFound)?;
        JobStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("jobs.status = '{status}'")))
    }

    pub(crate) async fn pending_jobs(&self, booking_id: &str) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE booking_id = ? AND status = 'pending' ORDER BY run_at, id"
        ))
        .bind(booking_id)
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, JobRow::into_model)
    }

    pub(crate) async fn jobs_by_kind(&self, kind: &str) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE kind = ? ORDER BY id"
        ))
        .bind(kind)
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, JobRow::into_model)
    }
}
