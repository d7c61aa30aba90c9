//! Moving a booking to another time.

use super::bookings::{fetch, overlaps, why_untouched};
use super::{SqliteStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, BookingStatus, Reschedule};
use crate::rows::secs;

impl SqliteStore {
    pub(crate) async fn reschedule_booking(&self, request: &Reschedule) -> StoreResult<Booking> {
        let mut tx = self.write().await?;
        let current = fetch(&mut tx, &request.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if current.status != BookingStatus::Active {
            return Err(StoreError::NotActive);
        }
        // The booking's own old block does not count against its new one.
        if overlaps(
            &mut tx,
            &current.practitioner_id,
            &request.block,
            &request.id,
        )
        .await?
        {
            return Err(StoreError::SlotTaken);
        }
        let now = secs(request.now);
        let done = sqlx::query(
            "UPDATE bookings SET start_at = ?, end_at = ?, block_start = ?, block_end = ?, \
             manage_token_expires_at = ?, sequence = sequence + 1, updated_at = ? \
             WHERE id = ? AND status = 'active'",
        )
        .bind(secs(request.start))
        .bind(secs(request.end))
        .bind(secs(request.block.start))
        .bind(secs(request.block.end))
        .bind(secs(request.token_expires_at))
        .bind(now)
        .bind(&request.id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(why_untouched(&mut tx, &request.id).await);
        }
        jobs::drop_reminders(&mut tx, &request.id).await?;
        jobs::insert(&mut tx, Some(&request.id), &request.jobs, request.now).await?;
        audit::append(
            &mut tx,
            "visitor",
            "booking.reschedule",
            &request.id,
            request.now,
        )
        .await?;
        let booking = fetch(&mut tx, &request.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(booking)
    }
}
