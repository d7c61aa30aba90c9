//! Scheduling: appointment types, weekly availability, date overrides and the
//! pure slot generator.
//!
//! Availability is written in the practitioner's wall-clock time and IANA zone;
//! slots are UTC instants. A booking occupies a *block*: its own time widened
//! by the appointment type's buffers. No two active blocks of one practitioner
//! may overlap, whatever their appointment types.

mod model;
mod slots;

pub use model::{
    AppointmentType, AppointmentTypeError, Block, DateOverride, ExistingBooking, MAX_BLOCK_MIN,
    MAX_BUFFER_MIN, MAX_DURATION_MIN, OverrideKind, WeeklyRule, Window, WindowError, weekday_name,
};
pub use slots::{SlotQuery, SlotRejection, check_start, generate_slots};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A bookable interval: the appointment itself, without buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Slot {
    /// An appointment of `kind` starting at `start`.
    pub fn of(kind: &AppointmentType, start: jiff::Timestamp) -> Self {
        Self {
            start,
            end: start + jiff::SignedDuration::from_mins(i64::from(kind.duration_min)),
        }
    }

    /// The block this slot occupies once booked: widened by the type's buffers.
    pub fn block(&self, kind: &AppointmentType) -> Block {
        Block {
            start: self.start - jiff::SignedDuration::from_mins(i64::from(kind.buffer_before_min)),
            end: self.end + jiff::SignedDuration::from_mins(i64::from(kind.buffer_after_min)),
        }
    }
}
