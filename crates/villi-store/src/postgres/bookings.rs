//! Creating, reading and cancelling bookings.
//!
//! Overlap is refused by the `bookings_no_overlap` exclusion constraint
//! (SQLSTATE 23P01, mapped to `SlotTaken`), so no check here can race it.

use jiff::Timestamp;
use sqlx::PgConnection;
use villi_domain::booking::ExistingBooking;

use super::{PgStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, BookingStatus, CreateBooking, Created, NewJob};
use crate::rows::{self, BookingRow, ExistingRow, MAX_BLOCK_SECS, booking_columns, secs};

pub(super) async fn fetch(conn: &mut PgConnection, id: &str) -> StoreResult<Option<Booking>> {
    let row: Option<BookingRow> = sqlx::query_as(concat!(
        "SELECT ",
        booking_columns!(),
        " FROM bookings WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(BookingRow::into_model).transpose()
}

/// `NotFound` or `NotActive` for a booking that an update did not touch.
pub(super) async fn why_untouched(conn: &mut PgConnection, id: &str) -> StoreError {
    match fetch(conn, id).await {
        Ok(Some(_)) => StoreError::NotActive,
        Ok(None) => StoreError::NotFound,
        Err(e) => e,
    }
}

/// Claims the idempotency key first: a concurrent request with the same key
/// waits on this row until we commit or roll back. Returns the earlier
/// booking when the key was already used for the same request.
async fn claim_key(
    conn: &mut PgConnection,
    (key, hash): (&str, &str),
    booking_id: &str,
    now: Timestamp,
) -> StoreResult<Option<Booking>> {
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (key, request_hash, booking_id, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(hash)
    .bind(booking_id)
    .bind(secs(now))
    .execute(&mut *conn)
    .await?;
    if claimed.rows_affected() == 1 {
        return Ok(None);
    }
    let (stored_hash, stored_id): (String, String) =
        sqlx::query_as("SELECT request_hash, booking_id FROM idempotency_keys WHERE key = $1")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
    if stored_hash != hash {
        return Err(StoreError::IdempotencyMismatch);
    }
    let booking = fetch(conn, &stored_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("idempotency key {key}: booking missing")))?;
    Ok(Some(booking))
}

/// Advisory-lock class for "writing one practitioner's bookings"; the
/// two-key lock space never meets the one-key email locks.
const PRACTITIONER_LOCK: i32 = 1;

/// Takes the practitioner's booking lock for the rest of the transaction.
///
/// The exclusion constraint alone keeps the calendar correct, but two
/// transactions inserting overlapping blocks at once can each end up waiting
/// on the other's uncommitted row; PostgreSQL breaks that only after
/// `deadlock_timeout`, by aborting one with a deadlock error. Queuing writers
/// per practitioner first means the later one simply waits, then meets the
/// committed winner and gets `SlotTaken`.
pub(super) async fn lock_practitioner(
    conn: &mut PgConnection,
    practitioner_id: &str,
) -> StoreResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .bind(PRACTITIONER_LOCK)
        .bind(practitioner_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Active blocks of a practitioner meeting `[from, until)`, in start order.
pub(super) async fn active_in(
    conn: &mut PgConnection,
    practitioner_id: &str,
    from: Timestamp,
    until: Timestamp,
) -> StoreResult<Vec<ExistingBooking>> {
    let rows: Vec<ExistingRow> = sqlx::query_as(
        "SELECT start_at, block_start, block_end, appointment_type FROM bookings \
         WHERE practitioner_id = $1 AND status = 'active' AND block_start > $4 \
         AND block_start < $2 AND $3 < block_end ORDER BY block_start, id",
    )
    .bind(practitioner_id)
    .bind(secs(until))
    .bind(secs(from))
    .bind(secs(from) - MAX_BLOCK_SECS)
    .fetch_all(conn)
    .await?;
    rows::all(rows, ExistingRow::into_model)
}

impl PgStore {
    pub(crate) async fn create_booking(&self, request: &CreateBooking) -> StoreResult<Created> {
        let new = &request.booking;
        let mut tx = self.write().await?;
        if let Some((key, hash)) = &request.idempotency {
            let earlier = claim_key(&mut tx, (key, hash), &new.id, request.now).await?;
            if let Some(booking) = earlier {
                tx.rollback().await?;
                return Ok(Created {
                    booking,
                    replayed: true,
                });
            }
        }
        // One email's bookings are counted and added one transaction at a time.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 0))")
            .bind(&new.email)
            .execute(&mut *tx)
            .await?;
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM bookings WHERE lower(email) = lower($1) \
             AND status = 'active' AND start_at > $2",
        )
        .bind(&new.email)
        .bind(secs(request.now))
        .fetch_one(&mut *tx)
        .await?;
        if held >= i64::from(request.max_active_per_email) {
            return Err(StoreError::EmailCapReached);
        }
        lock_practitioner(&mut tx, &new.practitioner_id).await?;
        if let Some(calendar) = &request.calendar {
            let (from, until) = crate::calendar::bookings_range(new.start);
            let existing = active_in(&mut tx, &new.practitioner_id, from, until).await?;
            crate::calendar::check(calendar, &new.wanted(), &existing, request.now)?;
        }
        let now = secs(request.now);
        sqlx::query(
            "INSERT INTO bookings (id, practitioner_id, appointment_type, start_at, end_at, \
             block_start, block_end, status, name, email, phone, help_with, heard_from, consent, \
             answers, visitor_time_zone, manage_token_hash, manage_token_expires_at, sequence, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10, $11, $12, $13, $14, \
             $15, $16, $17, 0, $18, $18)",
        )
        .bind(&new.id)
        .bind(&new.practitioner_id)
        .bind(&new.appointment_type)
        .bind(secs(new.start))
        .bind(secs(new.end))
        .bind(secs(new.block.start))
        .bind(secs(new.block.end))
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.phone)
        .bind(&new.help_with)
        .bind(&new.heard_from)
        .bind(new.consent)
        .bind(sqlx::types::Json(&new.answers))
        .bind(&new.visitor_time_zone)
        .bind(&new.manage_token_hash)
        .bind(secs(new.manage_token_expires_at))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        jobs::insert(&mut tx, Some(&new.id), &request.jobs, request.now).await?;
        audit::append(&mut tx, "visitor", "booking.create", &new.id, request.now).await?;
        let booking = fetch(&mut tx, &new.id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(Created {
            booking,
            replayed: false,
        })
    }

    pub(crate) async fn booking(&self, id: &str) -> StoreResult<Option<Booking>> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    pub(crate) async fn booking_by_token(
        &self,
        id: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<Booking>> {
        let row: Option<BookingRow> = sqlx::query_as(concat!(
            "SELECT ",
            booking_columns!(),
            " FROM bookings WHERE id = $1 AND manage_token_hash = $2 \
             AND manage_token_expires_at > $3"
        ))
        .bind(id)
        .bind(token_hash)
        .bind(secs(now))
        .fetch_optional(&self.pool)
        .await?;
        row.map(BookingRow::into_model).transpose()
    }

    pub(crate) async fn active_bookings(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExistingBooking>> {
        let mut conn = self.pool.acquire().await?;
        active_in(&mut conn, practitioner_id, from, until).await
    }

    pub(crate) async fn bookings_for_practitioner(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<Booking>> {
        let rows: Vec<BookingRow> = sqlx::query_as(concat!(
            "SELECT ",
            booking_columns!(),
            " FROM bookings WHERE practitioner_id = $1 AND start_at < $2 AND $3 < end_at \
             ORDER BY start_at, id"
        ))
        .bind(practitioner_id)
        .bind(secs(until))
        .bind(secs(from))
        .fetch_all(&self.pool)
        .await?;
        rows::all(rows, BookingRow::into_model)
    }

    pub(crate) async fn cancel_booking(
        &self,
        id: &str,
        now: Timestamp,
        new_jobs: &[NewJob],
    ) -> StoreResult<Booking> {
        let mut tx = self.write().await?;
        // Compare-and-swap: only an active booking becomes cancelled.
        let done = sqlx::query(
            "UPDATE bookings SET status = $1, sequence = sequence + 1, updated_at = $2, \
             cancelled_at = $2 WHERE id = $3 AND status = 'active'",
        )
        .bind(BookingStatus::Cancelled.as_str())
        .bind(secs(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(why_untouched(&mut tx, id).await);
        }
        jobs::drop_reminders(&mut tx, id).await?;
        jobs::insert(&mut tx, Some(id), new_jobs, now).await?;
        audit::append(&mut tx, "visitor", "booking.cancel", id, now).await?;
        let booking = fetch(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(booking)
    }

    pub(crate) async fn prune_idempotency_keys(&self, before: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(secs(before))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
