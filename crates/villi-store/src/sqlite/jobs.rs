//! The durable job queue. A claim runs on the writer inside `BEGIN
//! IMMEDIATE`, so two workers can never take the same job.

use jiff::Timestamp;
use rusqlite::Connection;

use super::SqliteStore;
use super::rows::{all_rows, execute, json_text, optional_row, scalar};
use crate::error::{StoreError, StoreResult};
use crate::model::{Job, JobStatus, MAX_JOB_ATTEMPTS, NewJob};
use crate::rows::{self, JobRow, job_columns, secs};

/// Queues `jobs` inside the writer's transaction; `booking_id`, when given,
/// overrides each job's own.
pub(super) fn insert(
    conn: &Connection,
    booking_id: Option<&str>,
    jobs: &[NewJob],
    now: Timestamp,
) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(jobs.len());
    for job in jobs {
        let id: Option<i64> = scalar(
            conn,
            "INSERT INTO jobs (kind, booking_id, payload, run_at, status, attempts, \
             created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
            (
                &job.kind,
                booking_id.or(job.booking_id.as_deref()),
                json_text(&job.payload)?,
                secs(job.run_at),
                secs(now),
                secs(now),
            ),
        )?;
        ids.push(
            id.ok_or_else(|| StoreError::Internal("the insert returned no job id".to_owned()))?,
        );
    }
    Ok(ids)
}

/// Deletes a booking's reminders that have not started; a reminder already
/// claimed by a worker is left to finish.
pub(super) fn drop_reminders(conn: &Connection, booking_id: &str) -> StoreResult<()> {
    execute(
        conn,
        "DELETE FROM jobs WHERE booking_id = ? AND status = 'pending' \
         AND substr(kind, 1, 8) = 'reminder'",
        [booking_id],
    )?;
    Ok(())
}

/// Claims the next due job inside the writer's transaction.
fn claim_in(
    tx: &Connection,
    now: Timestamp,
    worker: &str,
    lease_secs: i64,
) -> StoreResult<Option<JobRow>> {
    // A job whose worker keeps dying would otherwise be claimed forever.
    execute(
        tx,
        "UPDATE jobs SET status = 'dead', updated_at = ?1 \
         WHERE status = 'claimed' AND lease_until <= ?1 AND attempts >= ?2",
        (secs(now), i64::from(MAX_JOB_ATTEMPTS)),
    )?;
    // A job abandoned by a worker first, then the earliest due. Each half
    // walks `jobs_due` in order: a claim costs the same with ten thousand
    // e-mails queued as with one.
    optional_row(
        tx,
        concat!(
            "UPDATE jobs SET status = 'claimed', locked_by = ?2, lease_until = ?3, \
             attempts = attempts + 1, updated_at = ?1 \
             WHERE id = coalesce( \
                 (SELECT id FROM jobs WHERE status = 'claimed' AND lease_until <= ?1 \
                  ORDER BY run_at, id LIMIT 1), \
                 (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= ?1 \
                  ORDER BY run_at, id LIMIT 1)) \
             RETURNING ",
            job_columns!()
        ),
        (secs(now), worker, secs(now).saturating_add(lease_secs)),
    )
}

fn complete_in(tx: &Connection, id: i64) -> StoreResult<()> {
    let done = execute(
        tx,
        "UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, \
         updated_at = ? WHERE id = ? AND status = 'claimed'",
        (secs(Timestamp::now()), id),
    )?;
    if done != 1 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

fn retry_in(tx: &Connection, id: i64, error: &str, run_at: Timestamp) -> StoreResult<JobStatus> {
    let status: Option<String> = scalar(
        tx,
        "UPDATE jobs SET status = CASE WHEN attempts >= ? THEN 'dead' ELSE 'pending' END, \
         run_at = ?, last_error = ?, locked_by = NULL, lease_until = NULL, updated_at = ? \
         WHERE id = ? AND status = 'claimed' RETURNING status",
        (
            i64::from(MAX_JOB_ATTEMPTS),
            secs(run_at),
            error,
            secs(Timestamp::now()),
            id,
        ),
    )?;
    let status = status.ok_or(StoreError::NotFound)?;
    JobStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("jobs.status = '{status}'")))
}

impl SqliteStore {
    pub(crate) async fn enqueue_job(&self, job: &NewJob) -> StoreResult<i64> {
        let job = job.clone();
        let ids = self
            .write(move |tx| insert(tx, None, std::slice::from_ref(&job), Timestamp::now()))
            .await?;
        ids.first().copied().ok_or(StoreError::NotFound)
    }

    pub(crate) async fn claim_job(
        &self,
        now: Timestamp,
        worker: &str,
        lease_secs: i64,
    ) -> StoreResult<Option<Job>> {
        let worker = worker.to_owned();
        let row = self
            .write(move |tx| claim_in(tx, now, &worker, lease_secs))
            .await?;
        row.map(JobRow::into_model).transpose()
    }

    pub(crate) async fn complete_job(&self, id: i64) -> StoreResult<()> {
        self.write(move |tx| complete_in(tx, id)).await
    }

    pub(crate) async fn retry_job(
        &self,
        id: i64,
        error: &str,
        run_at: Timestamp,
    ) -> StoreResult<JobStatus> {
        let error = error.to_owned();
        self.write(move |tx| retry_in(tx, id, &error, run_at)).await
    }

    pub(crate) async fn pending_jobs(&self, booking_id: &str) -> StoreResult<Vec<Job>> {
        let booking_id = booking_id.to_owned();
        self.read(move |conn| {
            let rows: Vec<JobRow> = all_rows(
                conn,
                concat!(
                    "SELECT ",
                    job_columns!(),
                    " FROM jobs WHERE booking_id = ? AND status = 'pending' ORDER BY run_at, id"
                ),
                [&booking_id],
            )?;
            rows::all(rows, JobRow::into_model)
        })
        .await
    }

    pub(crate) async fn jobs_by_kind(&self, kind: &str) -> StoreResult<Vec<Job>> {
        let kind = kind.to_owned();
        self.read(move |conn| {
            let rows: Vec<JobRow> = all_rows(
                conn,
                concat!(
                    "SELECT ",
                    job_columns!(),
                    " FROM jobs WHERE kind = ? ORDER BY id"
                ),
                [&kind],
            )?;
            rows::all(rows, JobRow::into_model)
        })
        .await
    }
}
