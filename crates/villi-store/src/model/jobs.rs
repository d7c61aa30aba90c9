//! The durable job queue: reminders and emails that must run once, even with
//! several servers.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How many times a job is claimed before [`crate::Store::retry_job`] gives up
/// and marks it dead.
pub const MAX_JOB_ATTEMPTS: u32 = 5;

/// Work to do at or after `run_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewJob {
    /// What to do, e.g. `email.confirmation`, `reminder.24h`. Kinds starting
    /// with `reminder` are dropped when their booking is cancelled or moved.
    pub kind: String,
    /// Jobs given to a booking operation are linked to that booking whatever
    /// this says.
    pub booking_id: Option<String>,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for `run_at`.
    Pending,
    /// Taken by a worker until its lease ends.
    Claimed,
    Done,
    /// Failed [`MAX_JOB_ATTEMPTS`] times; kept for inspection.
    Dead,
}

impl JobStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Claimed => "claimed",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Claimed, Self::Done, Self::Dead]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub booking_id: Option<String>,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    /// How many times the job has been claimed, the current claim included.
    pub attempts: u32,
    pub status: JobStatus,
    /// The error given to the last [`crate::Store::retry_job`].
    pub last_error: Option<String>,
}
