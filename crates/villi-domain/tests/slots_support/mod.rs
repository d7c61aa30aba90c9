//! Shared fixtures for the slot tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod oracle;
pub mod scenario;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use villi_domain::booking::{
    AppointmentType, Block, DateOverride, ExistingBooking, OverrideKind, SlotQuery, WeeklyRule,
    Window,
};

pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

pub fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn window(text: &str) -> Window {
    Window::parse(text).unwrap()
}

pub fn weekly(weekday: Weekday, text: &str) -> WeeklyRule {
    WeeklyRule {
        weekday,
        window: window(text),
        appointment_type: None,
    }
}

pub fn on(date: Date, kind: OverrideKind) -> DateOverride {
    DateOverride { date, kind }
}

/// A type with no notice and a long horizon, so a test sees only the rule it
/// is about.
pub fn open_type(slug: &str, duration_min: u32) -> AppointmentType {
    AppointmentType {
        min_notice_min: 0,
        horizon_days: 365,
        ..AppointmentType::new(slug, slug, duration_min)
    }
}

/// A booking of `slug` from `start` for `minutes`, with its buffers.
pub fn booked(slug: &str, start: &str, minutes: i64, before: i64, after: i64) -> ExistingBooking {
    let start = ts(start);
    let end = start + jiff::SignedDuration::from_mins(minutes);
    ExistingBooking {
        block: Block {
            start: start - jiff::SignedDuration::from_mins(before),
            end: end + jiff::SignedDuration::from_mins(after),
        },
        start,
        appointment_type: slug.to_owned(),
    }
}

/// Owns what a [`SlotQuery`] borrows.
#[derive(Debug, Clone)]
pub struct Practice {
    pub tz: TimeZone,
    pub kind: AppointmentType,
    pub rules: Vec<WeeklyRule>,
    pub overrides: Vec<DateOverride>,
    pub existing: Vec<ExistingBooking>,
    pub now: Timestamp,
}

impl Practice {
    pub fn new(zone_name: &str, kind: AppointmentType, now: &str) -> Self {
        Self {
            tz: zone(zone_name),
            kind,
            rules: Vec::new(),
            overrides: Vec::new(),
            existing: Vec::new(),
            now: ts(now),
        }
    }

    /// Every slot from `now` on.
    pub fn query(&self) -> SlotQuery<'_> {
        self.between(Timestamp::MIN, Timestamp::MAX)
    }

    pub fn between(&self, from: Timestamp, until: Timestamp) -> SlotQuery<'_> {
        SlotQuery {
            time_zone: &self.tz,
            kind: &self.kind,
            rules: &self.rules,
            overrides: &self.overrides,
            existing: &self.existing,
            now: self.now,
            from,
            until,
        }
    }

    /// Slot starts on `date`, as local `HH:MM±hh:mm`.
    pub fn starts_on(&self, date: Date) -> Vec<String> {
        villi_domain::booking::generate_slots(&self.query())
            .into_iter()
            .filter(|s| self.tz.to_datetime(s.start).date() == date)
            .map(|s| self.local(s.start))
            .collect()
    }

    /// The instant the practitioner's clock shows `local` (`2025-06-02T10:00`).
    pub fn at(&self, local: &str) -> Timestamp {
        let local: jiff::civil::DateTime = local.parse().unwrap();
        self.tz.to_timestamp(local).unwrap()
    }

    /// `HH:MM±hh:mm` in the practitioner's zone.
    pub fn local(&self, instant: Timestamp) -> String {
        instant
            .to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M%:z")
            .to_string()
    }
}
