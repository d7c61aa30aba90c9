//! [`Store`]: the backend-neutral handle the rest of villi holds.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;
use villi_domain::booking::{AppointmentType, DateOverride, ExistingBooking, WeeklyRule};

use crate::error::{StoreError, StoreResult};
use crate::model::{
    AuditEvent, Booking, CreateBooking, Created, Job, JobStatus, NewJob, NewPractitioner,
    Practitioner, Question, Reschedule,
};
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The store: cheap to clone (pools are shared), safe to use from many tasks.
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Inner,
    changes: Arc<Counters>,
}

/// How many writes of each kind this process has made through a [`Store`]
/// (and its clones). Callers that keep a reading of the data in memory
/// compare these to notice that it changed; writes by other processes are
/// not counted, so such readings must also expire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    /// Practitioners, appointment types, hours, overrides, questions.
    pub config: u64,
    /// Bookings made, cancelled or moved.
    pub bookings: u64,
}

impl Changes {
    /// One number that moves whenever either count does.
    pub fn total(self) -> u64 {
        self.config.wrapping_add(self.bookings)
    }
}

#[derive(Default)]
struct Counters {
    config: AtomicU64,
    bookings: AtomicU64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub(crate) enum Inner {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Calls the same method on whichever backend the store holds.
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match &$self.inner {
            Inner::Sqlite(db) => db.$method($($arg),*).await,
            Inner::Postgres(db) => db.$method($($arg),*).await,
        }
    };
}

/// A writing call, counted once it has returned (committed or not: a
/// failed commit may still have landed).
macro_rules! counted {
    ($counter:ident, $self:ident . $method:ident ( $($arg:expr),* )) => {{
        let done = dispatch!($self.$method($($arg),*));
        $self.changes.$counter.fetch_add(1, Ordering::AcqRel);
        done
    }};
}

impl Store {
    /// Writes made through this store so far; see [`Changes`].
    pub fn changes(&self) -> Changes {
        Changes {
            config: self.changes.config.load(Ordering::Acquire),
            bookings: self.changes.bookings.load(Ordering::Acquire),
        }
    }

    /// Counts a change made around the API (tests' raw SQL).
    #[cfg(feature = "test-support")]
    pub(crate) fn count_raw_change(&self) {
        self.changes.config.fetch_add(1, Ordering::AcqRel);
        self.changes.bookings.fetch_add(1, Ordering::AcqRel);
    }

    /// Opens a store without migrating it. Accepts `sqlite://path`,
    /// `sqlite:path`, `sqlite::memory:` (or just `:memory:`), `postgres://...`
    /// and `postgresql://...`. A SQLite file is created if missing.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let inner = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Inner::Postgres(PgStore::connect(url).await?)
        } else if url.starts_with("sqlite:") {
            Inner::Sqlite(SqliteStore::connect(url).await?)
        } else if url == ":memory:" {
            Inner::Sqlite(SqliteStore::connect("sqlite::memory:").await?)
        } else {
            let scheme = url.split_once(':').map_or("", |(s, _)| s);
            return Err(StoreError::UnsupportedUrl {
                scheme: scheme.chars().take(20).collect(),
            });
        };
        Ok(Store {
            inner,
            changes: Arc::default(),
        })
    }

    /// Applies the backend's embedded migrations that have not run yet.
    pub async fn migrate(&self) -> StoreResult<()> {
        dispatch!(self.migrate())
    }

    pub fn backend(&self) -> Backend {
        match self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// Checks that the database answers (for health checks).
    pub async fn ping(&self) -> StoreResult<()> {
        dispatch!(self.ping())
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        dispatch!(self.close())
    }

    /// Adds a practitioner with a new UUID v7 id. A taken slug is
    /// `Conflict { constraint: "practitioners_slug_key" }`.
    pub async fn add_practitioner(&self, new: &NewPractitioner) -> StoreResult<Practitioner> {
        counted!(config, self.add_practitioner(new))
    }

    /// Every practitioner, ordered by name.
    pub async fn practitioners(&self) -> StoreResult<Vec<Practitioner>> {
        dispatch!(self.practitioners())
    }

    pub async fn practitioner(&self, id: &str) -> StoreResult<Option<Practitioner>> {
        dispatch!(self.practitioner(id))
    }

    pub async fn practitioner_by_slug(&self, slug: &str) -> StoreResult<Option<Practitioner>> {
        dispatch!(self.practitioner_by_slug(slug))
    }

    /// Inserts the type, or replaces the stored one with the same slug.
    pub async fn upsert_appointment_type(&self, kind: &AppointmentType) -> StoreResult<()> {
        counted!(config, self.upsert_appointment_type(kind))
    }

    /// Every appointment type, ordered by slug.
    pub async fn appointment_types(&self) -> StoreResult<Vec<AppointmentType>> {
        dispatch!(self.appointment_types())
    }

    pub async fn appointment_type(&self, slug: &str) -> StoreResult<Option<AppointmentType>> {
        dispatch!(self.appointment_type(slug))
    }

    /// Replaces all of a practitioner's weekly rules at once.
    /// `NotFound` if the practitioner does not exist.
    pub async fn replace_weekly_rules(
        &self,
        practitioner_id: &str,
        rules: &[WeeklyRule],
    ) -> StoreResult<()> {
        counted!(config, self.replace_weekly_rules(practitioner_id, rules))
    }

    /// A practitioner's weekly rules, Monday first, then by start time.
    pub async fn weekly_rules(&self, practitioner_id: &str) -> StoreResult<Vec<WeeklyRule>> {
        dispatch!(self.weekly_rules(practitioner_id))
    }

    /// Adds a date override. `NotFound` if the practitioner does not exist.
    pub async fn add_override(
        &self,
        practitioner_id: &str,
        date_override: &DateOverride,
    ) -> StoreResult<()> {
        counted!(config, self.add_override(practitioner_id, date_override))
    }

    /// Overrides dated `from..=to` (both included), by date, then as added.
    pub async fn overrides(
        &self,
        practitioner_id: &str,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<DateOverride>> {
        dispatch!(self.overrides(practitioner_id, from, to))
    }

    /// Replaces the practice's pre-call questions; their order is kept.
    pub async fn replace_questions(&self, questions: &[Question]) -> StoreResult<()> {
        counted!(config, self.replace_questions(questions))
    }

    /// The pre-call questions in the order they were given.
    pub async fn questions(&self) -> StoreResult<Vec<Question>> {
        dispatch!(self.questions())
    }

    /// Books in one transaction: idempotency, per-email cap, overlap, the
    /// booking row, its jobs, the idempotency row and an audit row.
    /// Errors: `IdempotencyMismatch`, `EmailCapReached`, `SlotTaken`,
    /// `NotFound` (unknown practitioner or appointment type),
    /// `Conflict { constraint: "bookings_pkey" }` (id reused without a key).
    pub async fn create_booking(&self, request: &CreateBooking) -> StoreResult<Created> {
        counted!(bookings, self.create_booking(request))
    }

    pub async fn booking(&self, id: &str) -> StoreResult<Option<Booking>> {
        dispatch!(self.booking(id))
    }

    /// The booking if `token_hash` is its manage-token hash and the token has
    /// not expired at `now`.
    pub async fn booking_by_token(
        &self,
        id: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<Booking>> {
        dispatch!(self.booking_by_token(id, token_hash, now))
    }

    /// Active bookings whose block overlaps `[from, until)`, by block start,
    /// as slot generation needs them.
    pub async fn active_bookings(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExistingBooking>> {
        dispatch!(self.active_bookings(practitioner_id, from, until))
    }

    /// Bookings of any status whose appointment overlaps `[from, until)`, by start.
    pub async fn bookings_for_practitioner(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<Booking>> {
        dispatch!(self.bookings_for_practitioner(practitioner_id, from, until))
    }

    /// Cancels an active booking (`NotActive` if already cancelled), bumps its
    /// sequence, drops its pending reminder jobs and queues `jobs`.
    pub async fn cancel_booking(
        &self,
        id: &str,
        now: Timestamp,
        jobs: &[NewJob],
    ) -> StoreResult<Booking> {
        counted!(bookings, self.cancel_booking(id, now, jobs))
    }

    /// Moves an active booking in one transaction (`NotActive`, `SlotTaken`),
    /// bumps its sequence, drops its pending reminder jobs and queues the new ones.
    pub async fn reschedule_booking(&self, request: &Reschedule) -> StoreResult<Booking> {
        counted!(bookings, self.reschedule_booking(request))
    }

    /// Queues a job on its own (one not tied to a booking operation).
    pub async fn enqueue_job(&self, job: &NewJob) -> StoreResult<i64> {
        dispatch!(self.enqueue_job(job))
    }

    /// Atomically takes one due job: pending with `run_at <= now`, or claimed
    /// by a worker whose lease has run out. The lease lasts `lease_secs`.
    pub async fn claim_job(
        &self,
        now: Timestamp,
        worker: &str,
        lease_secs: i64,
    ) -> StoreResult<Option<Job>> {
        dispatch!(self.claim_job(now, worker, lease_secs))
    }

    /// Marks a claimed job done. `NotFound` unless the job is claimed.
    pub async fn complete_job(&self, id: i64) -> StoreResult<()> {
        dispatch!(self.complete_job(id))
    }

    /// Puts a claimed job back for `run_at`, or marks it dead once it has been
    /// claimed [`crate::MAX_JOB_ATTEMPTS`] times. Returns the new status.
    pub async fn retry_job(
        &self,
        id: i64,
        error: &str,
        run_at: Timestamp,
    ) -> StoreResult<JobStatus> {
        dispatch!(self.retry_job(id, error, run_at))
    }

    /// A booking's pending jobs, by `run_at`.
    pub async fn pending_jobs(&self, booking_id: &str) -> StoreResult<Vec<Job>> {
        dispatch!(self.pending_jobs(booking_id))
    }

    /// Every job of a kind, whatever its status, oldest first.
    pub async fn jobs_by_kind(&self, kind: &str) -> StoreResult<Vec<Job>> {
        dispatch!(self.jobs_by_kind(kind))
    }

    /// Counts one hit for `key` in the fixed window containing `now`;
    /// true while the window holds at most `limit` hits. Holds across
    /// processes sharing the database.
    pub async fn rate_limit_hit(
        &self,
        key: &str,
        now: Timestamp,
        window_secs: i64,
        limit: u32,
    ) -> StoreResult<bool> {
        dispatch!(self.rate_limit_hit(key, now, window_secs, limit))
    }

    /// Deletes rate-limit windows that started before `before`; returns how many.
    pub async fn prune_rate_limits(&self, before: Timestamp) -> StoreResult<u64> {
        dispatch!(self.prune_rate_limits(before))
    }

    /// Forgets idempotency keys recorded before `before` (a client's retries
    /// come within minutes); returns how many.
    pub async fn prune_idempotency_keys(&self, before: Timestamp) -> StoreResult<u64> {
        dispatch!(self.prune_idempotency_keys(before))
    }

    /// Appends an audit row of the caller's own (logins, exports, ...).
    pub async fn record_audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        at: Timestamp,
    ) -> StoreResult<()> {
        dispatch!(self.record_audit(actor, action, subject, at))
    }

    /// The newest `limit` audit rows, newest first.
    pub async fn audit_events(&self, limit: u32) -> StoreResult<Vec<AuditEvent>> {
        dispatch!(self.audit_events(limit))
    }
}

/// Compile-time check: every operation can run in a spawned task or an axum
/// handler. Never called.
#[cfg(test)]
#[allow(dead_code, clippy::too_many_arguments)]
fn every_future_is_send(
    store: &Store,
    create: &CreateBooking,
    reschedule: &Reschedule,
    kind: &AppointmentType,
    rules: &[WeeklyRule],
    date_override: &DateOverride,
    job: &NewJob,
    new: &NewPractitioner,
) {
    fn send<T: Send>(_: T) {}
    let now = Timestamp::UNIX_EPOCH;
    let day = Date::MIN;
    send(Store::connect(""));
    send(store.migrate());
    send(store.ping());
    send(store.close());
    send(store.add_practitioner(new));
    send(store.practitioners());
    send(store.practitioner(""));
    send(store.practitioner_by_slug(""));
    send(store.upsert_appointment_type(kind));
    send(store.appointment_types());
    send(store.appointment_type(""));
    send(store.replace_weekly_rules("", rules));
    send(store.weekly_rules(""));
    send(store.add_override("", date_override));
    send(store.overrides("", day, day));
    send(store.replace_questions(&[]));
    send(store.questions());
    send(store.create_booking(create));
    send(store.booking(""));
    send(store.booking_by_token("", "", now));
    send(store.active_bookings("", now, now));
    send(store.bookings_for_practitioner("", now, now));
    send(store.cancel_booking("", now, &[]));
    send(store.reschedule_booking(reschedule));
    send(store.enqueue_job(job));
    send(store.claim_job(now, "", 0));
    send(store.complete_job(0));
    send(store.retry_job(0, "", now));
    send(store.pending_jobs(""));
    send(store.jobs_by_kind(""));
    send(store.rate_limit_hit("", now, 0, 0));
    send(store.prune_rate_limits(now));
    send(store.prune_idempotency_keys(now));
    send(store.record_audit("", "", "", now));
    send(store.audit_events(0));
}
