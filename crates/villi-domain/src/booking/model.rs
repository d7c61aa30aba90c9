//! The scheduling vocabulary: appointment types, availability rules, overrides.

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

/// The longest appointment, in minutes.
pub const MAX_DURATION_MIN: u32 = 480;
/// The longest buffer on either side of an appointment, in minutes.
pub const MAX_BUFFER_MIN: u32 = 240;
/// The longest block a booking can occupy (appointment and both buffers);
/// stores rely on it to bound their searches for overlapping bookings.
pub const MAX_BLOCK_MIN: u32 = MAX_DURATION_MIN + 2 * MAX_BUFFER_MIN;

/// A kind of appointment the practice offers, e.g. `discovery` or `consultation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentType {
    /// Stable identifier used in URLs and the API (`discovery`).
    pub slug: String,
    /// Name shown to visitors ("Free 15-minute discovery call").
    pub name: String,
    pub duration_min: u32,
    pub buffer_before_min: u32,
    pub buffer_after_min: u32,
    /// Earliest a slot may start, counted from now.
    pub min_notice_min: u32,
    /// Latest a slot may start, in days from today.
    pub horizon_days: u32,
    /// Most bookings of this type per practitioner per local day.
    pub daily_cap: Option<u32>,
    /// Offered on the public booking page.
    pub public: bool,
    /// Free, or a price label such as "£95"; only a label for now.
    pub price_label: String,
    /// Distance between consecutive slot starts inside a window.
    pub slot_interval_min: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentTypeError {
    #[error("slug must be 1-40 lowercase letters, digits or '-'")]
    Slug,
    #[error("duration must be between 5 and 480 minutes")]
    Duration,
    #[error("buffers must be at most 240 minutes each")]
    Buffer,
    #[error("slot interval must be between 5 and 480 minutes")]
    Interval,
    #[error("horizon must be between 1 and 730 days")]
    Horizon,
}

impl AppointmentType {
    /// A type with the practice defaults: 12 h notice, 60-day horizon, no
    /// buffers, slots every `duration_min`.
    pub fn new(slug: &str, name: &str, duration_min: u32) -> Self {
        Self {
            slug: slug.to_owned(),
            name: name.to_owned(),
            duration_min,
            buffer_before_min: 0,
            buffer_after_min: 0,
            min_notice_min: 12 * 60,
            horizon_days: 60,
            daily_cap: None,
            public: true,
            price_label: "Free".to_owned(),
            slot_interval_min: duration_min,
        }
    }

    pub fn validate(&self) -> Result<(), AppointmentTypeError> {
        let slug_ok = !self.slug.is_empty()
            && self.slug.len() <= 40
            && self
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            return Err(AppointmentTypeError::Slug);
        }
        if !(5..=MAX_DURATION_MIN).contains(&self.duration_min) {
            return Err(AppointmentTypeError::Duration);
        }
        if self.buffer_before_min > MAX_BUFFER_MIN || self.buffer_after_min > MAX_BUFFER_MIN {
            return Err(AppointmentTypeError::Buffer);
        }
        if !(5..=480).contains(&self.slot_interval_min) {
            return Err(AppointmentTypeError::Interval);
        }
        if !(1..=730).contains(&self.horizon_days) {
            return Err(AppointmentTypeError::Horizon);
        }
        Ok(())
    }
}

/// A wall-clock interval within one local day, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub start: Time,
    pub end: Time,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("'{0}' is not a time of day like 09:00")]
    BadTime(String),
    #[error("'{0}' is not a range like 09:00-12:30")]
    BadRange(String),
    #[error("the end {end} must be after the start {start}")]
    EndNotAfterStart { start: Time, end: Time },
}

impl Window {
    pub fn new(start: Time, end: Time) -> Result<Self, WindowError> {
        if end <= start {
            return Err(WindowError::EndNotAfterStart { start, end });
        }
        Ok(Self { start, end })
    }

    /// Parses `09:00-12:30`.
    pub fn parse(text: &str) -> Result<Self, WindowError> {
        let (a, b) = text
            .split_once('-')
            .ok_or_else(|| WindowError::BadRange(text.to_owned()))?;
        let time = |s: &str| -> Result<Time, WindowError> {
            s.trim()
                .parse::<Time>()
                .map_err(|_| WindowError::BadTime(s.trim().to_owned()))
        };
        Self::new(time(a)?, time(b)?)
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.strftime("%H:%M"),
            self.end.strftime("%H:%M")
        )
    }
}

/// A recurring weekly window of availability, in the practitioner's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyRule {
    #[serde(with = "weekday_name")]
    pub weekday: Weekday,
    pub window: Window,
    /// Only for this appointment type; `None` applies to every type.
    pub appointment_type: Option<String>,
}

/// A change to one local date's availability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateOverride {
    pub date: Date,
    pub kind: OverrideKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OverrideKind {
    /// Hours available on this date in addition to the weekly rules.
    ExtraHours { window: Window },
    /// Hours not available on this date.
    TimeOff { window: Window },
    /// Nothing available on this date.
    DayOff,
}

/// A half-open interval `[start, end)` a practitioner is occupied for,
/// buffers included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Block {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Block {
    pub fn overlaps(&self, other: &Block) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// An active booking already held by the practitioner, as slot generation
/// needs to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingBooking {
    pub block: Block,
    /// The appointment's own start (for daily caps, counted per local day).
    pub start: Timestamp,
    pub appointment_type: String,
}

/// Lowercase English weekday names (`monday`), as used in files and the API.
pub mod weekday_name {
    use jiff::civil::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];

    pub fn name(day: Weekday) -> &'static str {
        NAMES
            .iter()
            .find(|(_, d)| *d == day)
            .map_or("monday", |(n, _)| n)
    }

    /// Accepts full names and three-letter abbreviations, any case.
    pub fn parse(text: &str) -> Option<Weekday> {
        let lower = text.trim().to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(n, _)| *n == lower || (lower.len() == 3 && n.starts_with(&lower)))
            .map(|(_, d)| *d)
    }

    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(name(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a weekday")))
    }
}
