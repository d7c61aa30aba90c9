//! The durable job queue. A claim locks its row with `FOR UPDATE SKIP LOCKED`,
//! so concurrent workers on any server take different jobs.

use jiff::Timestamp;
use sqlx::PgConnection;
use sqlx::types::Json;

use super::PgStore;
use crate::error::{StoreError, StoreResult};
use crate::model::{Job, JobStatus, MAX_JOB_ATTEMPTS, NewJob};
use crate::rows::{self, JobRow, job_columns, secs};

/// Queues `jobs` inside the caller's transaction; `booking_id`, when given,
/// overrides each job's own.
pub(super) async fn insert(
    conn: &mut PgConnection,
    booking_id: Option<&str>,
    jobs: &[NewJob],
    now: Timestamp,
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(jobs.len());
    for job in jobs {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jobs (kind, booking_id, payload, run_at, status, attempts, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) RETURNING id",
        )
        .bind(&job.kind)
        .bind(booking_id.or(job.booking_id.as_deref()))
        .bind(Json(&job.payload))
        .bind(secs(job.run_at))
        .bind(secs(now))
        .fetch_one(&mut *conn)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Deletes a booking's reminders that have not started; a reminder already
/// claimed by a worker is left to finish.
pub(super) async fn drop_reminders(conn: &mut PgConnection, booking_id: &str) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM jobs WHERE booking_id = $1 AND status = 'pending' \
         AND substr(kind, 1, 8) = 'reminder'",
    )
    .bind(booking_id)
    .execute(conn)
    .await?;
    Ok(())
}

impl PgStore {
    pub(crate) async fn enqueue_job(&self, job: &NewJob) -> StoreResult<i64> {
        let mut conn = self.pool.acquire().await?;
        let ids = insert(&mut conn, None, std::slice::from_ref(job), Timestamp::now()).await?;
        ids.first().copied().ok_or(StoreError::NotFound)
    }

    pub(crate) async fn claim_job(
        &self,
        now: Timestamp,
        worker: &str,
        lease_secs: i64,
    ) -> StoreResult<Option<Job>> {
        let mut tx = self.write().await?;
        // A job whose worker keeps dying would otherwise be claimed forever.
        sqlx::query(
            "UPDATE jobs SET status = 'dead', updated_at = $1 \
             WHERE status = 'claimed' AND lease_until <= $1 AND attempts >= $2",
        )
        .bind(secs(now))
        .bind(i64::from(MAX_JOB_ATTEMPTS))
        .execute(&mut *tx)
        .await?;
        // A job abandoned by a worker first, then the earliest due. Each
        // half walks `jobs_due` in order: a claim costs the same with ten
        // thousand e-mails queued as with one.
        let row: Option<JobRow> = sqlx::query_as(concat!(
            "UPDATE jobs SET status = 'claimed', locked_by = $2, lease_until = $3, \
             attempts = attempts + 1, updated_at = $1 \
             WHERE id = COALESCE( \
                 (SELECT id FROM jobs WHERE status = 'claimed' AND lease_until <= $1 \
                  ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), \
                 (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $1 \
                  ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)) \
             RETURNING ",
            job_columns!()
        ))
        .bind(secs(now))
        .bind(worker)
        .bind(secs(now).saturating_add(lease_secs))
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.map(JobRow::into_model).transpose()
    }

    pub(crate) async fn complete_job(&self, id: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, \
             updated_at = $1 WHERE id = $2 AND status = 'claimed'",
        )
        .bind(secs(Timestamp::now()))
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub(crate) async fn retry_job(
        &self,
        id: i64,
        error: &str,
        run_at: Timestamp,
    ) -> StoreResult<JobStatus> {
        let status: Option<String> = sqlx::query_scalar(
            "UPDATE jobs SET status = CASE WHEN attempts >= $1 THEN 'dead' ELSE 'pending' END, \
             run_at = $2, last_error = $3, locked_by = NULL, lease_until = NULL, updated_at = $4 \
             WHERE id = $5 AND status = 'claimed' RETURNING status",
        )
        .bind(i64::from(MAX_JOB_ATTEMPTS))
        .bind(secs(run_at))
        .bind(error)
        .bind(secs(Timestamp::now()))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let status = status.ok_or(StoreError::NotFound)?;
        JobStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("jobs.status = '{status}'")))
    }

    pub(crate) async fn pending_jobs(&self, booking_id: &str) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE booking_id = $1 AND status = 'pending' ORDER BY run_at, id"
        ))
        .bind(booking_id)
        .fetch_all(&self.pool)
        .await?;
        rows::all(rows, JobRow::into_model)
    }

    pub(crate) async fn jobs_by_kind(&self, kind: &str) -> StoreResult<Vec<Job>> {
        let rows: Vec<JobRow> = sqlx::query_as(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE kind = $1 ORDER BY id"
        ))
        .bind(kind)
        .fetch_all(&self.pool)
        .await?;
        rows::all(rows, JobRow::into_model)
    }
}
