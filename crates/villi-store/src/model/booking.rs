//! Bookings and the requests that create, cancel and move them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use villi_domain::booking::{AppointmentType, Block, DateOverride, WeeklyRule};

use super::NewJob;

/// A booking to create. The caller chooses the id (so a retried request can
/// name the same booking) and hashes the manage-link token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewBooking {
    pub id: String,
    pub practitioner_id: String,
    /// Slug of a stored appointment type.
    pub appointment_type: String,
    pub start: Timestamp,
    pub end: Timestamp,
    /// The time the practitioner is occupied: `start..end` widened by buffers.
    pub block: Block,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub help_with: String,
    pub heard_from: String,
    pub consent: bool,
    /// Answers to the practice's questions, keyed by question key.
    pub answers: serde_json::Value,
    pub visitor_time_zone: String,
    pub manage_token_hash: String,
    pub manage_token_expires_at: Timestamp,
}

impl NewBooking {
    /// The time asked for, as the calendar check sees it.
    pub(crate) fn wanted(&self) -> crate::calendar::Wanted<'_> {
        crate::calendar::Wanted {
            start: self.start,
            end: self.end,
            block: &self.block,
        }
    }
}

/// Whether a booking still holds its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Active,
    Cancelled,
}

impl BookingStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Cancelled => "cancelled",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(Self::Active),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// A booking as stored. The manage-token hash stays inside the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Booking {
    pub id: String,
    pub practitioner_id: String,
    pub appointment_type: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub block: Block,
    pub status: BookingStatus,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub help_with: String,
    pub heard_from: String,
    pub consent: bool,
    pub answers: serde_json::Value,
    pub visitor_time_zone: String,
    /// iCalendar `SEQUENCE`: 0 when created, +1 on every cancel or move.
    pub sequence: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
}

/// Everything [`crate::Store::create_booking`] does in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateBooking {
    pub booking: NewBooking,
    /// `(key, request hash)`: a repeat of the same request returns the first
    /// booking; the same key with another hash is refused.
    pub idempotency: Option<(String, String)>,
    /// Most active bookings one email may hold that start after `now`.
    pub max_active_per_email: u32,
    /// Jobs to queue, linked to the new booking.
    pub jobs: Vec<NewJob>,
    /// When given, the start is checked against this calendar inside the
    /// booking's transaction (refused with `SlotRejected`).
    pub calendar: Option<CalendarCheck>,
    pub now: Timestamp,
}

/// A practitioner's calendar for one appointment type: what a start must
/// fit besides not overlapping another booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarCheck {
    /// The practitioner's IANA zone, in which rules and overrides are written.
    pub time_zone: String,
    pub kind: AppointmentType,
    pub rules: Vec<WeeklyRule>,
    /// Overrides around the start (others are ignored).
    pub overrides: Vec<DateOverride>,
}

/// The outcome of [`crate::Store::create_booking`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Created {
    pub booking: Booking,
    /// True when an earlier request with the same idempotency key made it.
    pub replayed: bool,
}

/// Moving an active booking to a new time, in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reschedule {
    pub id: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub block: Block,
    /// New expiry of the manage link (it usually lasts until the new start).
    pub token_expires_at: Timestamp,
    pub now: Timestamp,
    /// Jobs to queue for the new time; pending reminders are dropped first.
    pub jobs: Vec<NewJob>,
    /// When given, the new start is checked against this calendar inside
    /// the move's transaction (refused with `SlotRejected`); the booking's
    /// own old time does not count against it.
    pub calendar: Option<CalendarCheck>,
}

impl Reschedule {
    /// The new time, as the calendar check sees it.
    pub(crate) fn wanted(&self) -> crate::calendar::Wanted<'_> {
        crate::calendar::Wanted {
            start: self.start,
            end: self.end,
            block: &self.block,
        }
    }
}
