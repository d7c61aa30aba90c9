//! The slot generator. (Being implemented: signatures are fixed.)

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::{AppointmentType, DateOverride, ExistingBooking, Slot, WeeklyRule};

/// Everything slot generation needs; no I/O happens inside.
#[derive(Debug, Clone)]
pub struct SlotQuery<'a> {
    /// The practitioner's zone: rules and overrides are wall-clock times in it.
    pub time_zone: &'a TimeZone,
    pub kind: &'a AppointmentType,
    pub rules: &'a [WeeklyRule],
    pub overrides: &'a [DateOverride],
    /// Active bookings of this practitioner, of every type.
    pub existing: &'a [ExistingBooking],
    pub now: Timestamp,
    /// Only slots starting in `[from, until)` are returned.
    pub from: Timestamp,
    pub until: Timestamp,
}

/// Why a requested start cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotRejection {
    #[error("the start is not on the slot grid of this appointment type")]
    OffGrid,
    #[error("the practitioner is not available at that time")]
    OutsideAvailability,
    #[error("the start is sooner than the minimum notice")]
    TooSoon,
    #[error("the start is further ahead than bookings are taken")]
    BeyondHorizon,
    #[error("the time overlaps another booking")]
    Taken,
    #[error("the practitioner has no more room for this appointment type that day")]
    DailyCapReached,
}

/// Free slots, sorted by start, without duplicates.
pub fn generate_slots(_query: &SlotQuery<'_>) -> Vec<Slot> {
    Vec::new()
}

/// Checks one requested start against the same rules as [`generate_slots`].
pub fn check_start(_query: &SlotQuery<'_>, _start: Timestamp) -> Result<Slot, SlotRejection> {
    Err(SlotRejection::OffGrid)
}
