//! Moving a booking to another time.

use super::bookings::{active_in, fetch, lock_practitioner, why_untouched};
use super::{PgStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, Reschedule};
use crate::rows::secs;

impl PgStore {
    pub(crate) async fn reschedule_booking(&self, request: &Reschedule) -> StoreResult<Booking> {
        let mut tx = self.write().await?;
        let now = secs(request.now);
        let practitioner: Option<String> =
            sqlx::query_scalar("SELECT practitioner_id FROM bookings WHERE id = $1")
                .bind(&request.id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(practitioner) = practitioner else {
            return Err(StoreError::NotFound);
        };
        lock_practitioner(&mut tx, &practitioner).await?;
        if let Some(calendar) = &request.calendar {
            // Read under the lock: where the booking is now, not before.
            let current = fetch(&mut tx, &request.id)
                .await?
                .ok_or(StoreError::NotFound)?;
            let (from, until) = crate::calendar::bookings_range(request.start);
            let mut existing = active_in(&mut tx, &practitioner, from, until).await?;
            existing.retain(|e| !(e.start == current.start && e.block == current.block));
            crate::calendar::check(calendar, &request.wanted(), &existing, request.now)?;
        }
        // The exclusion constraint checks the moved block against every other
        // active booking (the row's own old version does not count).
        let done = sqlx::query(
            "UPDATE bookings SET start_at = $1, end_at = $2, block_start = $3, block_end = $4, \
             manage_token_expires_at = $5, sequence = sequence + 1, updated_at = $6 \
             WHERE id = $7 AND status = 'active'",
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
