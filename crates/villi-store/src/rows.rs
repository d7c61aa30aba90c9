//! Rows as both backends return them, and their conversion to the public types.
//!
//! Both schemas use the same column names and i64/text/bool/JSON column types,
//! so one set of row structs serves SQLite and PostgreSQL alike: PostgreSQL
//! fills them through sqlx's `FromRow`, SQLite by column index in the order
//! of the `*_columns!` lists (see `sqlite::rows`). Every conversion that can
//! fail names the column, so a corrupt value is found.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use sqlx::types::Json;
use villi_domain::booking::{
    AppointmentType, Block, DateOverride, ExistingBooking, OverrideKind, WeeklyRule, Window,
};

use crate::error::{StoreError, StoreResult};
use crate::model::{
    AuditEvent, Booking, BookingStatus, Job, JobStatus, Practitioner, Question, QuestionKind,
};

/// The columns every practitioner query selects, in [`PractitionerRow`] order.
macro_rules! practitioner_columns {
    () => {
        "id, slug, name, email, time_zone, bio, created_at"
    };
}
pub(crate) use practitioner_columns;

/// The columns every appointment-type query selects, in [`AppointmentTypeRow`] order.
macro_rules! appointment_type_columns {
    () => {
        "slug, name, duration_min, buffer_before_min, buffer_after_min, min_notice_min, \
         horizon_days, daily_cap, public, price_label, slot_interval_min"
    };
}
pub(crate) use appointment_type_columns;

/// The columns every booking query selects, in [`BookingRow`] order.
macro_rules! booking_columns {
    () => {
        "id, practitioner_id, appointment_type, start_at, end_at, block_start, block_end, \
         status, name, email, phone, help_with, heard_from, consent, answers, \
         visitor_time_zone, sequence, created_at, updated_at, cancelled_at"
    };
}
pub(crate) use booking_columns;

/// The columns every job query selects, in [`JobRow`] order.
macro_rules! job_columns {
    () => {
        "id, kind, booking_id, payload, run_at, attempts, status, last_error"
    };
}
pub(crate) use job_columns;

/// The longest block a booking may occupy, in seconds; both schemas refuse
/// longer ones (`bookings_block_length`), so a search for blocks meeting an
/// instant need look no further back than this.
pub(crate) const MAX_BLOCK_SECS: i64 = villi_domain::booking::MAX_BLOCK_MIN as i64 * 60;

/// Unix seconds, the stored form of every instant.
pub(crate) fn secs(at: Timestamp) -> i64 {
    at.as_second()
}

/// The start of the fixed window of `window_secs` (at least 1) holding `now`.
pub(crate) fn window_start(now: Timestamp, window_secs: i64) -> i64 {
    let now = secs(now);
    now - now.rem_euclid(window_secs.max(1))
}

fn instant(column: &str, value: i64) -> StoreResult<Timestamp> {
    Timestamp::from_second(value)
        .map_err(|e| StoreError::Corrupt(format!("{column} = {value}: {e}")))
}

fn small(column: &str, value: i64) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{column} = {value}: not a u32")))
}

fn time(column: &str, value: &str) -> StoreResult<Time> {
    value
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("{column} = '{value}': {e}")))
}

fn window(table: &str, start: &str, end: &str) -> StoreResult<Window> {
    let start = time(&format!("{table}.window_start"), start)?;
    let end = time(&format!("{table}.window_end"), end)?;
    Window::new(start, end).map_err(|e| StoreError::Corrupt(format!("{table} window: {e}")))
}

/// 1 = Monday ... 7 = Sunday.
pub(crate) fn weekday_number(day: Weekday) -> i64 {
    i64::from(day.to_monday_one_offset())
}

#[derive(sqlx::FromRow)]
pub(crate) struct PractitionerRow {
    pub(crate) id: String,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) time_zone: String,
    pub(crate) bio: String,
    pub(crate) created_at: i64,
}

impl PractitionerRow {
    pub(crate) fn into_model(self) -> StoreResult<Practitioner> {
        Ok(Practitioner {
            created_at: instant("practitioners.created_at", self.created_at)?,
            id: self.id,
            slug: self.slug,
            name: self.name,
            email: self.email,
            time_zone: self.time_zone,
            bio: self.bio,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AppointmentTypeRow {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) duration_min: i64,
    pub(crate) buffer_before_min: i64,
    pub(crate) buffer_after_min: i64,
    pub(crate) min_notice_min: i64,
    pub(crate) horizon_days: i64,
    pub(crate) daily_cap: Option<i64>,
    pub(crate) public: bool,
    pub(crate) price_label: String,
    pub(crate) slot_interval_min: i64,
}

impl AppointmentTypeRow {
    pub(crate) fn into_model(self) -> StoreResult<AppointmentType> {
        let n = |column: &str, value: i64| small(&format!("appointment_types.{column}"), value);
        Ok(AppointmentType {
            duration_min: n("duration_min", self.duration_min)?,
            buffer_before_min: n("buffer_before_min", self.buffer_before_min)?,
            buffer_after_min: n("buffer_after_min", self.buffer_after_min)?,
            min_notice_min: n("min_notice_min", self.min_notice_min)?,
            horizon_days: n("horizon_days", self.horizon_days)?,
            daily_cap: self.daily_cap.map(|c| n("daily_cap", c)).transpose()?,
            slot_interval_min: n("slot_interval_min", self.slot_interval_min)?,
            slug: self.slug,
            name: self.name,
            public: self.public,
            price_label: self.price_label,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct WeeklyRuleRow {
    pub(crate) weekday: i64,
    pub(crate) window_start: String,
    pub(crate) window_end: String,
    pub(crate) appointment_type: Option<String>,
}

impl WeeklyRuleRow {
    pub(crate) fn into_model(self) -> StoreResult<WeeklyRule> {
        let weekday = i8::try_from(self.weekday)
            .ok()
            .and_then(|n| Weekday::from_monday_one_offset(n).ok())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("weekly_rules.weekday = {}", self.weekday))
            })?;
        Ok(WeeklyRule {
            weekday,
            window: window("weekly_rules", &self.window_start, &self.window_end)?,
            appointment_type: self.appointment_type,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OverrideRow {
    pub(crate) date: String,
    pub(crate) kind: String,
    pub(crate) window_start: Option<String>,
    pub(crate) window_end: Option<String>,
}

/// The stored columns of an override: kind name and optional window text.
pub(crate) fn override_columns(
    kind: &OverrideKind,
) -> (&'static str, Option<String>, Option<String>) {
    match kind {
        OverrideKind::ExtraHours { window } => (
            "extra_hours",
            Some(window.start.to_string()),
            Some(window.end.to_string()),
        ),
        OverrideKind::TimeOff { window } => (
            "time_off",
            Some(window.start.to_string()),
            Some(window.end.to_string()),
        ),
        OverrideKind::DayOff => ("day_off", None, None),
    }
}

impl OverrideRow {
    pub(crate) fn into_model(self) -> StoreResult<DateOverride> {
        let date: Date = self.date.parse().map_err(|e| {
            StoreError::Corrupt(format!("date_overrides.date = '{}': {e}", self.date))
        })?;
        let stored_window = || match (&self.window_start, &self.window_end) {
            (Some(start), Some(end)) => window("date_overrides", start, end),
            _ => Err(StoreError::Corrupt(format!(
                "date_overrides on {date}: {} without a window",
                self.kind
            ))),
        };
        let kind = match self.kind.as_str() {
            "extra_hours" => OverrideKind::ExtraHours {
                window: stored_window()?,
            },
            "time_off" => OverrideKind::TimeOff {
                window: stored_window()?,
            },
            "day_off" => OverrideKind::DayOff,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "date_overrides.kind = '{other}'"
                )));
            }
        };
        Ok(DateOverride { date, kind })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct QuestionRow {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) kind: String,
    pub(crate) options: Json<Vec<String>>,
    pub(crate) required: bool,
}

/// The stored columns of a question kind: its name and its options.
pub(crate) fn question_kind_columns(kind: &QuestionKind) -> (&'static str, Json<Vec<String>>) {
    match kind {
        QuestionKind::ShortText => ("short_text", Json(Vec::new())),
        QuestionKind::Choice { options } => ("choice", Json(options.clone())),
    }
}

impl QuestionRow {
    pub(crate) fn into_model(self) -> StoreResult<Question> {
        let kind = match self.kind.as_str() {
            "short_text" => QuestionKind::ShortText,
            "choice" => QuestionKind::Choice {
                options: self.options.0,
            },
            other => return Err(StoreError::Corrupt(format!("questions.kind = '{other}'"))),
        };
        Ok(Question {
            key: self.key,
            label: self.label,
            kind,
            required: self.required,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct BookingRow {
    pub(crate) id: String,
    pub(crate) practitioner_id: String,
    pub(crate) appointment_type: String,
    pub(crate) start_at: i64,
    pub(crate) end_at: i64,
    pub(crate) block_start: i64,
    pub(crate) block_end: i64,
    pub(crate) status: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) phone: Option<String>,
    pub(crate) help_with: String,
    pub(crate) heard_from: String,
    pub(crate) consent: bool,
    pub(crate) answers: Json<serde_json::Value>,
    pub(crate) visitor_time_zone: String,
    pub(crate) sequence: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    pub(crate) cancelled_at: Option<i64>,
}

impl BookingRow {
    pub(crate) fn into_model(self) -> StoreResult<Booking> {
        let status = BookingStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("bookings.status = '{}'", self.status)))?;
        Ok(Booking {
            start: instant("bookings.start_at", self.start_at)?,
            end: instant("bookings.end_at", self.end_at)?,
            block: Block {
                start: instant("bookings.block_start", self.block_start)?,
                end: instant("bookings.block_end", self.block_end)?,
            },
            status,
            sequence: small("bookings.sequence", self.sequence)?,
            created_at: instant("bookings.created_at", self.created_at)?,
            updated_at: instant("bookings.updated_at", self.updated_at)?,
            cancelled_at: self
                .cancelled_at
                .map(|s| instant("bookings.cancelled_at", s))
                .transpose()?,
            id: self.id,
            practitioner_id: self.practitioner_id,
            appointment_type: self.appointment_type,
            name: self.name,
            email: self.email,
            phone: self.phone,
            help_with: self.help_with,
            heard_from: self.heard_from,
            consent: self.consent,
            answers: self.answers.0,
            visitor_time_zone: self.visitor_time_zone,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ExistingRow {
    pub(crate) start_at: i64,
    pub(crate) block_start: i64,
    pub(crate) block_end: i64,
    pub(crate) appointment_type: String,
}

impl ExistingRow {
    pub(crate) fn into_model(self) -> StoreResult<ExistingBooking> {
        Ok(ExistingBooking {
            block: Block {
                start: instant("bookings.block_start", self.block_start)?,
                end: instant("bookings.block_end", self.block_end)?,
            },
            start: instant("bookings.start_at", self.start_at)?,
            appointment_type: self.appointment_type,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct JobRow {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) booking_id: Option<String>,
    pub(crate) payload: Json<serde_json::Value>,
    pub(crate) run_at: i64,
    pub(crate) attempts: i64,
    pub(crate) status: String,
    pub(crate) last_error: Option<String>,
}

impl JobRow {
    pub(crate) fn into_model(self) -> StoreResult<Job> {
        let status = JobStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("jobs.status = '{}'", self.status)))?;
        Ok(Job {
            run_at: instant("jobs.run_at", self.run_at)?,
            attempts: small("jobs.attempts", self.attempts)?,
            id: self.id,
            kind: self.kind,
            booking_id: self.booking_id,
            payload: self.payload.0,
            status,
            last_error: self.last_error,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub(crate) id: i64,
    pub(crate) actor: String,
    pub(crate) action: String,
    pub(crate) subject: String,
    pub(crate) at: i64,
}

impl AuditRow {
    pub(crate) fn into_model(self) -> StoreResult<AuditEvent> {
        Ok(AuditEvent {
            at: instant("audit_events.at", self.at)?,
            id: self.id,
            actor: self.actor,
            action: self.action,
            subject: self.subject,
        })
    }
}

/// Converts every row, stopping at the first that does not parse.
pub(crate) fn all<R, T>(rows: Vec<R>, convert: fn(R) -> StoreResult<T>) -> StoreResult<Vec<T>> {
    rows.into_iter().map(convert).collect()
}
