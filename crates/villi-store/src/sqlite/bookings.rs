//! Creating, reading and cancelling bookings.

use jiff::Timestamp;
use sqlx::SqliteConnection;
use villi_domain::booking::{Block, ExistingBooking};

use super::{SqliteStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, BookingStatus, CreateBooking, Created, NewJob};
use crate::rows::{self, BookingRow, ExistingRow, booking_columns, secs};

pub(super) async fn fetch(conn: &mut SqliteConnection, id: &str) -> StoreResult<Option<Booking>> {
    let row: Option<BookingRow> = sqlx::query_as(concat!(
        "SELECT ",
        booking_columns!(),
        " FROM bookings WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(BookingRow::into_model).transpose()
}

/// Whether another active booking of the practitioner overlaps `block`.
/// Only meaningful inside a `BEGIN IMMEDIATE` transaction.
pub(super) async fn overlaps(
    conn: &mut SqliteConnection,
    practitioner_id: &str,
    block: &Block,
    except_id: &str,
) -> StoreResult<bool> {
    let hit: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM bookings WHERE practitioner_id = ? AND status = 'active' \
         AND block_start < ? AND ? < block_end AND id <> ? LIMIT 1",
    )
    .bind(practitioner_id)
    .bind(secs(block.end))
    .bind(secs(block.start))
    .bind(except_id)
    .fetch_optional(conn)
    .await?;
    Ok(hit.is_some())
}

/// `NotFound` or `NotActive` for a booking that an update did not touch.
pub(super) async fn why_untouched(conn: &mut SqliteConnection, id: &str) -> StoreError {
    match fetch(conn, id).await {
        Ok(Some(_)) => StoreError::NotActive,
        Ok(None) => StoreError::NotFound,
        Err(e) => e,
    }
}

/// Inserts a booking after every check, inside the caller's transaction.
async fn create_in(tx: &mut SqliteConnection, request: &CreateBooking) -> StoreResult<Created> {
    let new = &request.booking;
    // The write lock is held from here on, so each check below stays true
    // until commit.
    if let Some((key, hash)) = &request.idempotency {
        let stored: Option<(String, String)> =
            sqlx::query_as("SELECT request_hash, booking_id FROM idempotency_keys WHERE key = ?")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((stored_hash, booking_id)) = stored {
            if stored_hash != *hash {
                return Err(StoreError::IdempotencyMismatch);
            }
            let booking = fetch(&mut *tx, &booking_id).await?.ok_or_else(|| {
                StoreError::Corrupt(format!("idempotency key {key}: booking missing"))
            })?;
            return Ok(Created {
                booking,
                replayed: true,
            });
        }
    }
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM bookings WHERE lower(email) = lower(?) \
         AND status = 'active' AND start_at > ?",
    )
    .bind(&new.email)
    .bind(secs(request.now))
    .fetch_one(&mut *tx)
    .await?;
    if held >= i64::from(request.max_active_per_email) {
        return Err(StoreError::EmailCapReached);
    }
    if overlaps(&mut *tx, &new.practitioner_id, &new.block, &new.id).await? {
        return Err(StoreError::SlotTaken);
    }
    let now = secs(request.now);
    sqlx::query(
        "INSERT INTO bookings (id, practitioner_id, appointment_type, start_at, end_at, \
         block_start, block_end, status, name, email, phone, help_with, heard_from, consent, \
         answers, visitor_time_zone, manage_token_hash, manage_token_expires_at, sequence, \
         created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
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
    .bind(now)
    .execute(&mut *tx)
    .await?;
    jobs::insert(&mut *tx, Some(&new.id), &request.jobs, request.now).await?;
    if let Some((key, hash)) = &request.idempotency {
        sqlx::query(
            "INSERT INTO idempotency_keys (key, request_hash, booking_id, created_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(key)
        .bind(hash)
        .bind(&new.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    audit::append(&mut *tx, "visitor", "booking.create", &new.id, request.now).await?;
    let booking = fetch(&mut *tx, &new.id)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(Created {
        booking,
        replayed: false,
    })
}

impl SqliteStore {
    pub(crate) async fn create_booking(&self, request: &CreateBooking) -> StoreResult<Created> {
        let request = request.clone();
        self.batched(move |tx| Box::pin(async move { create_in(tx, &request).await }))
            .await
    }

    pub(crate) async fn booking(&self, id: &str) -> StoreResult<Option<Booking>> {
        let mut conn = self.reader.acquire().await?;
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
            " FROM bookings WHERE id = ? AND manage_token_hash = ? AND manage_token_expires_at > ?"
        ))
        .bind(id)
        .bind(token_hash)
        .bind(secs(now))
        .fetch_optional(&self.reader)
        .await?;
        row.map(BookingRow::into_model).transpose()
    }

    pub(crate) async fn active_bookings(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExistingBooking>> {
        let rows: Vec<ExistingRow> = sqlx::query_as(
            "SELECT start_at, block_start, block_end, appointment_type FROM bookings \
             WHERE practitioner_id = ? AND status = 'active' AND block_start < ? AND ? < block_end \
             ORDER BY block_start, id",
        )
        .bind(practitioner_id)
        .bind(secs(until))
        .bind(secs(from))
        .fetch_all(&self.reader)
        .await?;
        rows::all(rows, ExistingRow::into_model)
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
            " FROM bookings WHERE practitioner_id = ? AND start_at < ? AND ? < end_at \
             ORDER BY start_at, id"
        ))
        .bind(practitioner_id)
        .bind(secs(until))
        .bind(secs(from))
        .fetch_all(&self.reader)
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
            "UPDATE bookings SET status = ?, sequence = sequence + 1, updated_at = ?, \
             cancelled_at = ? WHERE id = ? AND status = 'active'",
        )
        .bind(BookingStatus::Cancelled.as_str())
        .bind(secs(now))
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
}
