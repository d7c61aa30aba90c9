//! The records the store keeps, as the rest of villi sees them.

mod booking;
mod jobs;
mod practice;

pub use booking::{
    Booking, BookingStatus, CalendarCheck, CreateBooking, Created, NewBooking, Reschedule,
};
pub use jobs::{Job, JobStatus, MAX_JOB_ATTEMPTS, NewJob};
pub use practice::{AuditEvent, NewPractitioner, Practitioner, Question, QuestionKind};
