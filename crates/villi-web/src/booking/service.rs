//! Booking, cancelling and rescheduling: the rules shared by the pages and
//! the JSON API. The database has the last word on conflicts.

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use villi_domain::booking::{AppointmentType, Slot};
use villi_store::{
    Booking, CalendarCheck, CreateBooking, NewBooking, Practitioner, Reschedule, Store,
};

use super::jobs;
use super::practice::Practice;
use super::request::ValidBooking;
use super::slots::free_slots_of;
use crate::AppState;
use crate::error::ApiError;
use crate::security::random_token;

/// A booking just made, with the link that manages it (shown once).
#[derive(Debug, Clone)]
pub struct Booked {
    pub booking: Booking,
    pub practitioner: Practitioner,
    pub manage_url: String,
    pub replayed: bool,
}

/// Counts a booking POST from `ip` against the per-address limit.
pub async fn check_rate_limit(state: &AppState, ip: IpAddr) -> Result<(), ApiError> {
    let limits = state.settings.rate_limits;
    let allowed = state
        .store
        .rate_limit_hit(
            &format!("booking:{ip}"),
            Timestamp::now(),
            limits.window_secs,
            limits.booking_posts,
        )
        .await?;
    if allowed {
        Ok(())
    } else {
        Err(ApiError::RateLimited {
            retry_after_secs: limits.window_secs,
        })
    }
}

/// The stored form of a manage token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn manage_url(base_url: &str, booking_id: &str, token: &str) -> String {
    format!("{base_url}/manage/{booking_id}/{token}")
}

/// Books a validated request. `idempotency` is the client's key, if any.
pub async fn book(
    state: &AppState,
    request: &ValidBooking,
    idempotency: Option<String>,
    now: Timestamp,
) -> Result<Booked, ApiError> {
    let store = &state.store;
    let practice = state.practice().await?;
    let kind = practice.public_type(&request.appointment_type)?;
    let practitioner = match pick_practitioner(store, &practice, request, &kind, now).await {
        Ok(p) => p,
        // A retry of "first available" may find nobody free any more (its
        // own booking took the time): the store replays the original when
        // the key matches, and refuses the slot otherwise.
        Err(e) if idempotency.is_some() => practice
            .chosen(&request.practitioner)?
            .into_iter()
            .next()
            .ok_or(e)?,
        Err(e) => return Err(e),
    };
    // Hours, notice, grid and daily cap are checked by the store inside the
    // booking's transaction, against the bookings as they stand then.
    let slot = Slot::of(&kind, request.start);
    let calendar = calendar_check(&practice, &practitioner, &kind, request.start)?;

    let token = random_token();
    let id = uuid::Uuid::now_v7().to_string();
    let new = NewBooking {
        id: id.clone(),
        practitioner_id: practitioner.id.clone(),
        appointment_type: kind.slug.clone(),
        start: slot.start,
        end: slot.end,
        block: slot.block(&kind),
        name: request.name.clone(),
        email: request.email.clone(),
        phone: request.phone.clone(),
        help_with: request.help_with.clone(),
        heard_from: request.heard_from.clone(),
        consent: request.consent,
        answers: serde_json::to_value(&request.answers)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        visitor_time_zone: request.timezone.clone(),
        manage_token_hash: hash_token(&token),
        manage_token_expires_at: token_expiry(&slot),
    };
    let mut planned = jobs::on_booked(&id, now);
    planned.extend(jobs::reminders(
        &id,
        &slot,
        &state.settings.reminder_offsets_min,
        now,
    ));
    let created = store
        .create_booking(&CreateBooking {
            booking: new,
            idempotency: idempotency.map(|key| (key, request_fingerprint(request))),
            max_active_per_email: state.settings.max_active_bookings_per_email,
            jobs: planned,
            calendar: Some(calendar),
            now,
        })
        .await?;
    state.wake_worker();
    let practitioner = if created.booking.practitioner_id == practitioner.id {
        practitioner
    } else if let Some(p) = practice.practitioner(&created.booking.practitioner_id) {
        p.clone()
    } else {
        store
            .practitioner(&created.booking.practitioner_id)
            .await?
            .ok_or(ApiError::NotFound("practitioner"))?
    };
    // A replay cannot show the original token (only its hash is kept); it
    // gets a link without one, and the email already holds the real link.
    let manage_url = if created.replayed {
        format!("{}/manage/{}", state.settings.base_url, created.booking.id)
    } else {
        manage_url(&state.settings.base_url, &created.booking.id, &token)
    };
    Ok(Booked {
        booking: created.booking,
        practitioner,
        manage_url,
        replayed: created.replayed,
    })
}

/// What the store checks a start against: the practitioner's zone, hours and
/// the overrides of the days around it.
fn calendar_check(
    practice: &Practice,
    practitioner: &Practitioner,
    kind: &AppointmentType,
    start: Timestamp,
) -> Result<CalendarCheck, ApiError> {
    let (hours, zone) = practice.hours(practitioner)?;
    let day = start.to_zoned_datetime(zone.clone()).date();
    let days = jiff::Span::new().days(3);
    let around = day.checked_sub(days).unwrap_or(day)..=day.checked_add(days).unwrap_or(day);
    Ok(CalendarCheck {
        time_zone: practitioner.time_zone.clone(),
        kind: kind.clone(),
        rules: hours.rules.clone(),
        overrides: hours
            .overrides
            .iter()
            .filter(|o| around.contains(&o.date))
            .cloned()
            .collect(),
    })
}

/// For "first available", the first practitioner who has this start free.
async fn pick_practitioner(
    store: &Store,
    practice: &Practice,
    request: &ValidBooking,
    kind: &AppointmentType,
    now: Timestamp,
) -> Result<Practitioner, ApiError> {
    let candidates = practice.chosen(&request.practitioner)?;
    if candidates.len() == 1 {
        return candidates
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound("practitioner"));
    }
    let window = SignedDuration::from_mins(1);
    let until = request
        .start
        .saturating_add(window)
        .unwrap_or(request.start);
    let free = free_slots_of(
        store,
        practice,
        &candidates,
        kind,
        request.start,
        until,
        now,
    )
    .await?;
    let slug = free
        .iter()
        .find(|s| s.start == request.start)
        .map(|s| s.practitioner_slug.clone())
        .ok_or_else(|| ApiError::invalid("start", "no practitioner is free at that time"))?;
    candidates
        .into_iter()
        .find(|p| p.slug == slug)
        .ok_or(ApiError::NotFound("practitioner"))
}

/// What identifies a request for idempotent retries.
fn request_fingerprint(r: &ValidBooking) -> String {
    let canonical = serde_json::json!([
        r.practitioner,
        r.appointment_type,
        r.start.to_string(),
        r.name,
        r.email,
        r.timezone,
        r.phone,
        r.help_with,
        r.heard_from,
        r.answers,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// A manage link works until the appointment has ended.
fn token_expiry(slot: &Slot) -> Timestamp {
    slot.end
}

/// The booking a manage token opens, if the token is right and current.
pub async fn authorised(
    store: &Store,
    id: &str,
    token: &str,
    now: Timestamp,
) -> Result<Booking, ApiError> {
    if token.len() > 100 || id.len() > 64 {
        return Err(ApiError::NotFound("booking"));
    }
    store
        .booking_by_token(id, &hash_token(token), now)
        .await?
        .ok_or(ApiError::NotFound("this link is not valid or has expired"))
}

pub async fn cancel(
    state: &AppState,
    id: &str,
    token: &str,
    now: Timestamp,
) -> Result<Booking, ApiError> {
    let booking = authorised(&state.store, id, token, now).await?;
    let cancelled = state
        .store
        .cancel_booking(&booking.id, now, &jobs::on_cancelled(&booking.id, now))
        .await?;
    state.wake_worker();
    Ok(cancelled)
}

pub async fn reschedule(
    state: &AppState,
    id: &str,
    token: &str,
    start: Timestamp,
    now: Timestamp,
) -> Result<Booking, ApiError> {
    let store = &state.store;
    let booking = authorised(store, id, token, now).await?;
    let practice = state.practice().await?;
    let kind = practice
        .appointment_type(&booking.appointment_type)
        .ok_or(ApiError::NotFound("appointment type"))?;
    let practitioner = practice
        .practitioner(&booking.practitioner_id)
        .ok_or(ApiError::NotFound("practitioner"))?;
    // Hours, grid and daily cap are checked by the store inside the move's
    // transaction; the booking's own old time does not count.
    let slot = Slot::of(kind, start);
    let calendar = calendar_check(&practice, practitioner, kind, start)?;
    let mut planned = jobs::on_rescheduled(&booking.id, now);
    planned.extend(jobs::reminders(
        &booking.id,
        &slot,
        &state.settings.reminder_offsets_min,
        now,
    ));
    let moved = store
        .reschedule_booking(&Reschedule {
            id: booking.id.clone(),
            start: slot.start,
            end: slot.end,
            block: slot.block(kind),
            token_expires_at: token_expiry(&slot),
            now,
            jobs: planned,
            calendar: Some(calendar),
        })
        .await?;
    state.wake_worker();
    Ok(moved)
}
