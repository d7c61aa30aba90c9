//! villi's persistence: one backend-neutral async API over SQLite (the
//! default, one file) and PostgreSQL (several servers sharing one database).
//!
//! The database is the arbiter of every conflict that matters: overlapping
//! bookings, repeated requests, job claims and rate limits all hold across
//! processes. Instants are stored as unix seconds UTC in both backends, and
//! anything below a second is dropped; a practitioner's IANA zone is stored
//! beside them.
//!
//! ```no_run
//! # async fn demo() -> Result<(), villi_store::StoreError> {
//! let store = villi_store::Store::connect("sqlite://villi.db").await?;
//! store.migrate().await?;
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod calendar;
mod error;
mod model;
mod postgres;
mod rows;
mod sqlite;
mod store;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use error::{StoreError, StoreResult};
pub use model::{
    AuditEvent, Booking, BookingStatus, CalendarCheck, CreateBooking, Created, Job, JobStatus,
    MAX_JOB_ATTEMPTS, NewBooking, NewJob, NewPractitioner, Practitioner, Question, QuestionKind,
    Reschedule,
};
pub use store::{Backend, Changes, Store};
