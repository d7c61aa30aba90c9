//! Calendar invites for bookings, as RFC 5545 iCalendar text.
//!
//! [`to_ics`] writes an invite (`METHOD:REQUEST`) or its cancellation
//! (`METHOD:CANCEL`) with one `VEVENT`; times are written in UTC, so no
//! `VTIMEZONE` is needed and every calendar shows the instant in its own
//! zone. The `UID` stays the same for the life of a booking and the
//! `SEQUENCE` goes up with each change, so calendars update the event they
//! already hold instead of adding a second one.
//!
//! [`parse_ics`] is a small strict reader (CRLF only, lines of at most 75
//! octets, balanced components, known escapes) for checking what villi sends,
//! and [`parse_invite`] reads an invite back into an [`Invite`].
//!
//! Writing rules:
//!
//! * text values escape `\`, `;`, `,` and newlines (RFC 5545 §3.3.11);
//! * names in `CN` parameters are always quoted, with `"`, `^` and newlines
//!   written as RFC 6868 caret escapes (`^'`, `^^`, `^n`);
//! * carriage returns and other control characters (all but tab and newline)
//!   cannot appear in iCalendar text and are dropped;
//! * content lines fold at 75 octets, never inside a UTF-8 character;
//! * times carry whole seconds: any fraction is dropped.

mod parse;
mod read;
mod write;

use jiff::Timestamp;

pub use parse::{Component, IcsError, Parameter, ParsedCalendar, Property, parse_ics};
pub use read::parse_invite;
pub use write::to_ics;

/// Whether an invite asks for the event to be held or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// A new or changed booking: `METHOD:REQUEST`, `STATUS:CONFIRMED`.
    Request,
    /// A cancelled booking: `METHOD:CANCEL`, `STATUS:CANCELLED`.
    Cancel,
}

impl Method {
    /// The `METHOD` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }

    /// The `STATUS` value an event carries under this method.
    pub fn status(self) -> &'static str {
        match self {
            Self::Request => "CONFIRMED",
            Self::Cancel => "CANCELLED",
        }
    }
}

/// One booking as a calendar event, sent to the client and the practitioner.
///
/// Invites travel through mail servers and sit in calendars shared with
/// family and colleagues, so they carry no health details: the `summary` is
/// "Discovery call with <practice>"-style (the appointment type and the
/// practice's name, nothing about the client's symptoms or answers), and the
/// optional `description` is a short practical note such as how to join or
/// how to reschedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// Stable for the booking's life, e.g. `<booking id>@<practice host>`.
    pub uid: String,
    /// 0 for the first invite, raised by one with every change.
    pub sequence: u32,
    pub method: Method,
    pub start: Timestamp,
    pub end: Timestamp,
    /// "Discovery call with <practice>"; never health details.
    pub summary: String,
    /// A short practical note; never health details.
    pub description: Option<String>,
    pub organizer_name: String,
    pub organizer_email: String,
    pub attendee_name: String,
    pub attendee_email: String,
    /// Where to join a video call, shown as the event's location.
    pub location_url: Option<String>,
    /// When this version of the invite was made (`DTSTAMP`).
    pub stamp: Timestamp,
}
