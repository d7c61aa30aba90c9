//! Creating, reading and cancelling bookings.

use jiff::Timestamp;
use rusqlite::Connection;
use villi_domain::booking::{Block, ExistingBooking};

use rusqlite::OptionalExtension;

use super::rows::{all_rows, execute, json_text, optional_row, scalar};
use super::{SqliteStore, audit, jobs};
use crate::error::{StoreError, StoreResult};
use crate::model::{Booking, BookingStatus, CreateBooking, Created, NewJob};
use crate::rows::{self, BookingRow, ExistingRow, MAX_BLOCK_SECS, booking_columns, secs};

pub(super) fn fetch(conn: &Connection, id: &str) -> StoreResult<Option<Booking>> {
    let row: Option<BookingRow> = optional_row(
        conn,
        concat!("SELECT ", booking_columns!(), " FROM bookings WHERE id = ?"),
        [id],
    )?;
    row.map(BookingRow::into_model).transpose()
}

/// Whether another active booking of the practitioner overlaps `block`.
/// Only meaningful inside a `BEGIN IMMEDIATE` transaction.
pub(super) fn overlaps(
    conn: &Connection,
    practitioner_id: &str,
    block: &Block,
    except_id: &str,
) -> StoreResult<bool> {
    let hit: Option<i64> = scalar(
        conn,
        "SELECT 1 FROM bookings WHERE practitioner_id = ? AND status = 'active' \
         AND block_start > ? AND block_start < ? AND ? < block_end AND id <> ? LIMIT 1",
        (
            practitioner_id,
            secs(block.start) - MAX_BLOCK_SECS,
            secs(block.end),
            secs(block.start),
            except_id,
        ),
    )?;
    Ok(hit.is_some())
}

/// Active blocks of a practitioner meeting `[from, until)`, in start order.
pub(super) fn active_in(
    conn: &Connection,
    practitioner_id: &str,
    from: Timestamp,
    until: Timestamp,
) -> StoreResult<Vec<ExistingBooking>> {
    let rows: Vec<ExistingRow> = all_rows(
        conn,
        "SELECT start_at, block_start, block_end, appointment_type FROM bookings \
         WHERE practitioner_id = ? AND status = 'active' AND block_start > ? \
         AND block_start < ? AND ? < block_end ORDER BY block_start, id",
        (
            practitioner_id,
            secs(from) - MAX_BLOCK_SECS,
            secs(until),
            secs(from),
        ),
    )?;
    rows::all(rows, ExistingRow::into_model)
}

/// `NotFound` or `NotActive` for a booking that an update did not touch.
pub(super) fn why_untouched(conn: &Connection, id: &str) -> StoreError {
    match fetch(conn, id) {
        Ok(Some(_)) => StoreError::NotActive,
        Ok(None) => StoreError::NotFound,
        Err(e) => e,
    }
}

/// Inserts a booking after every check, inside the writer's transaction.
fn create_in(tx: &Connection, request: &CreateBooking) -> StoreResult<Created> {
    let new = &request.booking;
    // The write lock is held from here on, so each check below stays true
    // until commit.
    if let Some((key, hash)) = &request.idempotency {
        let stored: Option<(String, String)> = tx
            .prepare_cached("SELECT request_hash, booking_id FROM idempotency_keys WHERE key = ?")?
            .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        if let Some((stored_hash, booking_id)) = stored {
            if stored_hash != *hash {
                return Err(StoreError::IdempotencyMismatch);
            }
            let booking = fetch(tx, &booking_id)?.ok_or_else(|| {
                StoreError::Corrupt(format!("idempotency key {key}: booking missing"))
            })?;
            return Ok(Created {
                booking,
                replayed: true,
            });
        }
    }
    let held: Option<i64> = scalar(
        tx,
        "SELECT count(*) FROM bookings WHERE lower(email) = lower(?) \
         AND status = 'active' AND start_at > ?",
        (&new.email, secs(request.now)),
    )?;
    if held.unwrap_or(0) >= i64::from(request.max_active_per_email) {
        return Err(StoreError::EmailCapReached);
    }
    if overlaps(tx, &new.practitioner_id, &new.block, &new.id)? {
        return Err(StoreError::SlotTaken);
    }
    if let Some(calendar) = &request.calendar {
        let (from, until) = crate::calendar::bookings_range(new.start);
        let existing = active_in(tx, &new.practitioner_id, from, until)?;
        crate::calendar::check(calendar, &new.wanted(), &existing, request.now)?;
    }
    let now = secs(request.now);
    execute(
        tx,
        "INSERT INTO bookings (id, practitioner_id, appointment_type, start_at, end_at, \
         block_start, block_end, status, name, email, phone, help_with, heard_from, consent, \
         answers, visitor_time_zone, manage_token_hash, manage_token_expires_at, sequence, \
         created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        rusqlite::params![
            new.id,
            new.practitioner_id,
            new.appointment_type,
            secs(new.start),
            secs(new.end),
            secs(new.block.start),
            secs(new.block.end),
            new.name,
            new.email,
            new.phone,
            new.help_with,
            new.heard_from,
            new.consent,
            json_text(&new.answers)?,
            new.visitor_time_zone,
            new.manage_token_hash,
            secs(new.manage_token_expires_at),
            now,
            now,
        ],
    )?;
    jobs::insert(tx, Some(&new.id), &request.jobs, request.now)?;
    if let Some((key, hash)) = &request.idempotency {
        execute(
            tx,
            "INSERT INTO idempotency_keys (key, request_hash, booking_id, created_at) \
             VALUES (?, ?, ?, ?)",
            (key, hash, &new.id, now),
        )?;
    }
    audit::append(tx, "visitor", "booking.create", &new.id, request.now)?;
    let booking = fetch(tx, &new.id)?.ok_or(StoreError::NotFound)?;
    Ok(Created {
        booking,
        replayed: false,
    })
}

fn cancel_in(
    tx: &Connection,
    id: &str,
    now: Timestamp,
    new_jobs: &[NewJob],
) -> StoreResult<Booking> {
    // Compare-and-swap: only an active booking becomes cancelled.
    let done = execute(
        tx,
        "UPDATE bookings SET status = ?, sequence = sequence + 1, updated_at = ?, \
         cancelled_at = ? WHERE id = ? AND status = 'active'",
        (BookingStatus::Cancelled.as_str(), secs(now), secs(now), id),
    )?;
    if done != 1 {
        return Err(why_untouched(tx, id));
    }
    jobs::drop_reminders(tx, id)?;
    jobs::insert(tx, Some(id), new_jobs, now)?;
    audit::append(tx, "visitor", "booking.cancel", id, now)?;
    fetch(tx, id)?.ok_or(StoreError::NotFound)
}

impl SqliteStore {
    pub(crate) async fn create_booking(&self, request: &CreateBooking) -> StoreResult<Created> {
        let request = request.clone();
        self.write(move |tx| create_in(tx, &request)).await
    }

    pub(crate) async fn booking(&self, id: &str) -> StoreResult<Option<Booking>> {
        let id = id.to_owned();
        self.read(move |conn| fetch(conn, &id)).await
    }

    pub(crate) async fn booking_by_token(
        &self,
        id: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<Booking>> {
        let (id, token_hash) = (id.to_owned(), token_hash.to_owned());
        self.read(move |conn| {
            let row: Option<BookingRow> = optional_row(
                conn,
                concat!(
                    "SELECT ",
                    booking_columns!(),
                    " FROM bookings WHERE id = ? AND manage_token_hash = ? \
                     AND manage_token_expires_at > ?"
                ),
                (&id, &token_hash, secs(now)),
            )?;
            row.map(BookingRow::into_model).transpose()
        })
        .await
    }

    pub(crate) async fn active_bookings(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExistingBooking>> {
        let practitioner_id = practitioner_id.to_owned();
        self.read(move |conn| active_in(conn, &practitioner_id, from, until))
            .await
    }

    pub(crate) async fn bookings_for_practitioner(
        &self,
        practitioner_id: &str,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<Booking>> {
        let practitioner_id = practitioner_id.to_owned();
        self.read(move |conn| {
            let rows: Vec<BookingRow> = all_rows(
                conn,
                concat!(
                    "SELECT ",
                    booking_columns!(),
                    " FROM bookings WHERE practitioner_id = ? AND start_at < ? AND ? < end_at \
                     ORDER BY start_at, id"
                ),
                (&practitioner_id, secs(until), secs(from)),
            )?;
            rows::all(rows, BookingRow::into_model)
        })
        .await
    }

    pub(crate) async fn cancel_booking(
        &self,
        id: &str,
        now: Timestamp,
        new_jobs: &[NewJob],
    ) -> StoreResult<Booking> {
        let (id, new_jobs) = (id.to_owned(), new_jobs.to_vec());
        self.write(move |tx| cancel_in(tx, &id, now, &new_jobs))
            .await
    }

    pub(crate) async fn prune_idempotency_keys(&self, before: Timestamp) -> StoreResult<u64> {
        let done = self
            .write(move |tx| {
                execute(
                    tx,
                    "DELETE FROM idempotency_keys WHERE created_at < ?",
                    [secs(before)],
                )
            })
            .await?;
        Ok(u64::try_from(done).unwrap_or(u64::MAX))
    }
}
