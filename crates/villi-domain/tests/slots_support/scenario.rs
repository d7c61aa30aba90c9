//! Random practices for the slot properties, pulled towards DST transitions.

use jiff::civil::{Time, Weekday};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use villi_domain::booking::{
    AppointmentType, Block, DateOverride, ExistingBooking, OverrideKind, WeeklyRule, Window,
};

use super::{Practice, ts, zone};

/// Zones with whole-hour, half-hour and 45-minute offsets, northern and
/// southern DST, half-hour DST (Lord Howe), "negative" DST (Dublin), clocks
/// changing at midnight (Santiago) and none.
pub const ZONES: [&str; 10] = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/Dublin",
    "America/Santiago",
    "UTC",
];

pub const SLUGS: [&str; 2] = ["discovery", "consultation"];

/// A practice plus the `[from, until)` a caller asks about.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub practice: Practice,
    pub from: Timestamp,
    pub until: Timestamp,
}

fn mins(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

/// A wall-clock window from minute `start` of the day lasting `len` minutes,
/// kept before 23:59.
fn window_at(start: u32, len: u32) -> Option<Window> {
    let end = (start + len).min(23 * 60 + 59);
    let clock = |m: u32| {
        Time::new(
            i8::try_from(m / 60).unwrap(),
            i8::try_from(m % 60).unwrap(),
            0,
            0,
        )
    };
    Window::new(clock(start).ok()?, clock(end).ok()?).ok()
}

/// Most transitions happen between 00:00 and 04:00, so half the windows
/// start there.
fn window() -> impl Strategy<Value = Option<Window>> {
    let start = prop_oneof![0_u32..240, 0_u32..1438];
    (start, 5_u32..600).prop_map(|(s, len)| window_at(s, len))
}

fn slug() -> impl Strategy<Value = String> {
    (0..SLUGS.len()).prop_map(|i| SLUGS[i].to_owned())
}

fn rule() -> impl Strategy<Value = Option<WeeklyRule>> {
    let only = prop_oneof![Just(None), slug().prop_map(Some)];
    // Most of the zones change their clocks on a Sunday.
    (prop_oneof![Just(6_i8), 0_i8..7], window(), only).prop_map(
        |(day, window, appointment_type)| {
            Some(WeeklyRule {
                weekday: Weekday::from_monday_zero_offset(day).ok()?,
                window: window?,
                appointment_type,
            })
        },
    )
}

/// What an override does; its date is drawn beside it.
fn override_kind() -> impl Strategy<Value = Option<OverrideKind>> {
    prop_oneof![
        3 => window().prop_map(|w| w.map(|window| OverrideKind::ExtraHours { window })),
        3 => window().prop_map(|w| w.map(|window| OverrideKind::TimeOff { window })),
        1 => Just(Some(OverrideKind::DayOff)),
    ]
}

fn kind() -> impl Strategy<Value = AppointmentType> {
    (
        (1_u32..=24, 1_u32..=24),
        (0_u32..=30, 0_u32..=30),
        prop_oneof![Just(0_u32), 0_u32..=720, 0_u32..=3000],
        1_u32..=14,
        prop_oneof![3 => Just(None), 1 => (0_u32..4).prop_map(Some)],
    )
        .prop_map(
            |((duration, interval), (before, after), notice, horizon, cap)| AppointmentType {
                buffer_before_min: before,
                buffer_after_min: after,
                min_notice_min: notice,
                horizon_days: horizon,
                daily_cap: cap,
                slot_interval_min: interval * 5,
                ..AppointmentType::new("discovery", "Discovery call", duration * 5)
            },
        )
}

/// (start minutes from now, length, buffer before, buffer after, type)
type BookingSeed = (i64, i64, i64, i64, String);

fn booking_seed() -> impl Strategy<Value = BookingSeed> {
    (
        -24 * 60_i64..11 * 24 * 60,
        1_i64..=24,
        0_i64..=30,
        0_i64..=30,
        slug(),
    )
        .prop_map(|(at, len, b, a, s)| (at / 5 * 5, len * 5, b, a, s))
}

/// Transitions of the zone in 2024-2026, or one fixed instant if it has none.
fn anchors(zone_name: &str) -> Vec<Timestamp> {
    let tz = zone(zone_name);
    let found: Vec<Timestamp> = tz
        .following(ts("2024-01-01T00:00Z"))
        .map(|t| t.timestamp())
        .take_while(|t| *t < ts("2027-01-01T00:00Z"))
        .collect();
    if found.is_empty() {
        vec![ts("2025-03-01T00:00Z")]
    } else {
        found
    }
}

pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            0..ZONES.len(),
            0_usize..8,
            -7 * 24 * 60_i64..24 * 60,
            0_i64..60,
        ),
        kind(),
        proptest::collection::vec(rule(), 1..10),
        proptest::collection::vec((-1_i64..12, override_kind()), 0..5),
        proptest::collection::vec(booking_seed(), 0..8),
        (
            -2 * 24 * 60_i64..2 * 24 * 60,
            prop_oneof![Just(None), (0_i64..12 * 24 * 60).prop_map(Some)],
        ),
    )
        .prop_map(|(clock, kind, rules, overrides, bookings, range)| {
            let (zone_index, anchor, offset_min, offset_s) = clock;
            let zone_name = ZONES[zone_index];
            let anchors = anchors(zone_name);
            let now = anchors[anchor % anchors.len()]
                + mins(offset_min)
                + SignedDuration::from_secs(offset_s);
            let mut practice = Practice::new(zone_name, kind, "2000-01-01T00:00Z");
            practice.now = now;
            practice.rules = rules.into_iter().flatten().collect();
            let today = practice.tz.to_datetime(now).date();
            practice.overrides = overrides
                .into_iter()
                .filter_map(|(days, kind)| {
                    Some(DateOverride {
                        date: today.checked_add(jiff::Span::new().days(days)).ok()?,
                        kind: kind?,
                    })
                })
                .collect();
            practice.existing = bookings.into_iter().map(|b| existing(now, b)).collect();
            let (from_min, span) = range;
            let from = now + mins(from_min);
            let until = span.map_or(Timestamp::MAX, |s| from + mins(s));
            Scenario {
                practice,
                from,
                until,
            }
        })
}

fn existing(now: Timestamp, (at, len, before, after, slug): BookingSeed) -> ExistingBooking {
    let start = now.round(jiff::Unit::Minute).unwrap_or(now) + mins(at);
    ExistingBooking {
        block: Block {
            start: start - mins(before),
            end: start + mins(len + after),
        },
        start,
        appointment_type: slug,
    }
}
