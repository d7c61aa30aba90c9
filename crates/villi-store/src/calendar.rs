//! Checking a requested start against the practitioner's calendar inside the
//! transaction that books it.
//!
//! The overlap of blocks is the database's own rule (an exclusion constraint
//! on PostgreSQL, a check and a trigger on SQLite). The rest of what makes a
//! start bookable (working hours, overrides, notice, horizon, slot grid, the
//! daily cap) is the domain's [`check_start`], run here against the bookings
//! as they stand inside the booking's transaction, where no other booking of
//! the practitioner can land meanwhile (SQLite has one writer; PostgreSQL
//! queues a practitioner's bookings on an advisory lock). So two visitors
//! taking the last place under a daily cap at once get one booking, not two.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use villi_domain::booking::{Block, ExistingBooking, SlotQuery, check_start};

use crate::error::{StoreError, StoreResult};
use crate::model::CalendarCheck;

/// How far either side of the start the domain looks (a local day).
const AROUND: SignedDuration = SignedDuration::from_hours(24);
/// Local dates can start up to a day either side of UTC's.
const MARGIN: SignedDuration = SignedDuration::from_hours(48);

/// The range whose active bookings [`check`] needs.
pub(crate) fn bookings_range(start: Timestamp) -> (Timestamp, Timestamp) {
    let span = AROUND + MARGIN;
    (
        start.saturating_sub(span).unwrap_or(start),
        start.saturating_add(span).unwrap_or(start),
    )
}

/// The time a booking asks for: its appointment and its block.
pub(crate) struct Wanted<'a> {
    pub(crate) start: Timestamp,
    pub(crate) end: Timestamp,
    pub(crate) block: &'a Block,
}

/// Refuses `wanted` when its start is not one the calendar offers, given the
/// practitioner's `existing` active bookings around it (without the booking
/// being moved, if any).
pub(crate) fn check(
    calendar: &CalendarCheck,
    wanted: &Wanted<'_>,
    existing: &[ExistingBooking],
    now: Timestamp,
) -> StoreResult<()> {
    let zone = TimeZone::get(&calendar.time_zone).map_err(|_| {
        StoreError::Corrupt(format!(
            "unknown practitioner time zone '{}'",
            calendar.time_zone
        ))
    })?;
    let start = wanted.start;
    let query = SlotQuery {
        time_zone: &zone,
        kind: &calendar.kind,
        rules: &calendar.rules,
        overrides: &calendar.overrides,
        existing,
        now,
        from: start.saturating_sub(AROUND).unwrap_or(start),
        until: start.saturating_add(AROUND).unwrap_or(start),
    };
    let slot = check_start(&query, start).map_err(StoreError::SlotRejected)?;
    if slot.end != wanted.end || slot.block(&calendar.kind) != *wanted.block {
        return Err(StoreError::Internal(format!(
            "the booked times do not match appointment type '{}'",
            calendar.kind.slug
        )));
    }
    Ok(())
}
