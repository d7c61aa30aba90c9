//! Moving a booking to another time.

use rusqlite::Connection;

use super::bookings::{active_in, fetch, overlaps, why_untouched};
use super::rows::execute;
use super::{SqliteStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, BookingStatus, Reschedule};
use crate::rows::secs;

fn reschedule_in(tx: &Connection, request: &Reschedule) -> StoreResult<Booking> {
    let current = fetch(tx, &request.id)?.ok_or(StoreError::NotFound)?;
    if current.status != BookingStatus::Active {
        return Err(StoreError::NotActive);
    }
    // The booking's own old block does not count against its new one.
    if overlaps(tx, &current.practitioner_id, &request.block, &request.id)? {
        return Err(StoreError::SlotTaken);
    }
    if let Some(calendar) = &request.calendar {
        let (from, until) = crate::calendar::bookings_range(request.start);
        let mut existing = active_in(tx, &current.practitioner_id, from, until)?;
        existing.retain(|e| !(e.start == current.start && e.block == current.block));
        crate::calendar::check(calendar, &request.wanted(), &existing, request.now)?;
    }
    let done = execute(
        tx,
        "UPDATE bookings SET start_at = ?, end_at = ?, block_start = ?, block_end = ?, \
         manage_token_expires_at = ?, sequence = sequence + 1, updated_at = ? \
         WHERE id = ? AND status = 'active'",
        (
            secs(request.start),
            secs(request.end),
            secs(request.block.start),
            secs(request.block.end),
            secs(request.token_expires_at),
            secs(request.now),
            &request.id,
        ),
    )?;
    if done != 1 {
        return Err(why_untouched(tx, &request.id));
    }
    jobs::drop_reminders(tx, &request.id)?;
    jobs::insert(tx, Some(&request.id), &request.jobs, request.now)?;
    audit::append(
        tx,
        "visitor",
        "booking.reschedule",
        &request.id,
        request.now,
    )?;
    fetch(tx, &request.id)?.ok_or(StoreError::NotFound)
}

impl SqliteStore {
    pub(crate) async fn reschedule_booking(&self, request: &Reschedule) -> StoreResult<Booking> {
        let request = request.clone();
        self.write(move |tx| reschedule_in(tx, &request)).await
    }
}
