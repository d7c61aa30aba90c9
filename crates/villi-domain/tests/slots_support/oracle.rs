//! A slow, separately written model of the slot rules for the properties to
//! compare against. It knows availability as a set of minutes and finds
//! instants by scanning the clock minute by minute, so it shares no code
//! with the generator's interval arithmetic or offset handling. Windows in
//! the scenarios are whole minutes and every transition of the zones used
//! falls on a whole minute, so minute steps are exact.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use villi_domain::booking::{Block, OverrideKind, Slot};

use super::Practice;

const MINUTE: SignedDuration = SignedDuration::from_mins(1);

/// Open minutes of `date` for the practice's type, as runs `[a, b)` of
/// minutes since midnight.
pub fn open_runs(p: &Practice, date: Date) -> Vec<(i64, i64)> {
    let mut open = [false; 24 * 60];
    let minute_of = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
    let mut mark = |start: Time, end: Time, value: bool| {
        for m in minute_of(start)..minute_of(end) {
            open[usize::try_from(m).unwrap()] = value;
        }
    };
    for rule in &p.rules {
        let applies = rule
            .appointment_type
            .as_deref()
            .is_none_or(|t| t == p.kind.slug);
        if rule.weekday == date.weekday() && applies {
            mark(rule.window.start, rule.window.end, true);
        }
    }
    let today = p.overrides.iter().filter(|o| o.date == date);
    for o in today.clone() {
        if let OverrideKind::ExtraHours { window } = o.kind {
            mark(window.start, window.end, true);
        }
    }
    for o in today.clone() {
        if let OverrideKind::TimeOff { window } = o.kind {
            mark(window.start, window.end, false);
        }
    }
    if today.clone().any(|o| o.kind == OverrideKind::DayOff) {
        open = [false; 24 * 60];
    }
    let mut runs = Vec::new();
    let mut m = 0;
    while m < open.len() {
        if open[m] {
            let start = m;
            while m < open.len() && open[m] {
                m += 1;
            }
            runs.push((i64::try_from(start).unwrap(), i64::try_from(m).unwrap()));
        }
        m += 1;
    }
    runs
}

/// The instant range the scan must cover around a wall time: one offset
/// either side of the instant that reads `local` in UTC.
fn scan_range(tz: &TimeZone, local: DateTime) -> (Timestamp, Timestamp) {
    let as_utc = jiff::tz::Offset::UTC.to_timestamp(local).unwrap();
    let day = SignedDuration::from_hours(24);
    let a = SignedDuration::from_secs(i64::from(tz.to_offset(as_utc - day).seconds()));
    let b = SignedDuration::from_secs(i64::from(tz.to_offset(as_utc + day).seconds()));
    (as_utc - a.max(b) - MINUTE, as_utc - a.min(b) + MINUTE)
}

/// The first instant at which the clock reads `local` or later.
pub fn first_reading(tz: &TimeZone, local: DateTime) -> Timestamp {
    let (lo, hi) = scan_range(tz, local);
    assert!(
        tz.to_datetime(lo) < local,
        "scan starts too late for {local}"
    );
    let mut t = lo;
    while t <= hi {
        if tz.to_datetime(t) >= local {
            return t;
        }
        t += MINUTE;
    }
    panic!("the clock never reads {local} in {tz:?}");
}

/// The last instant at which the clock reads `local` or earlier (the moment
/// it jumps past `local`, when it does).
pub fn last_reading(tz: &TimeZone, local: DateTime) -> Timestamp {
    let (lo, hi) = scan_range(tz, local);
    assert!(
        tz.to_datetime(hi) > local,
        "scan ends too early for {local}"
    );
    let mut t = hi;
    while t >= lo {
        let wall = tz.to_datetime(t);
        if wall == local {
            return t;
        }
        if wall < local {
            return t + MINUTE;
        }
        t -= MINUTE;
    }
    panic!("the clock never reads {local} in {tz:?}");
}

fn at_minute(date: Date, minute: i64) -> DateTime {
    date.to_datetime(Time::midnight()) + Span::new().minutes(minute)
}

/// A date's availability as real-time stretches `[open, close)`; stretches
/// that meet in real time are one.
pub fn open_stretches(p: &Practice, date: Date) -> Vec<(Timestamp, Timestamp)> {
    let mut minutes: Vec<Timestamp> = Vec::new();
    for (a, b) in open_runs(p, date) {
        let open = first_reading(&p.tz, at_minute(date, a));
        let close = last_reading(&p.tz, at_minute(date, b));
        let mut t = open;
        while t < close {
            minutes.push(t);
            t += MINUTE;
        }
    }
    minutes.sort();
    minutes.dedup();
    let mut stretches: Vec<(Timestamp, Timestamp)> = Vec::new();
    for t in minutes {
        match stretches.last_mut() {
            Some(last) if last.1 == t => last.1 = t + MINUTE,
            _ => stretches.push((t, t + MINUTE)),
        }
    }
    stretches
}

/// The first instant no longer bookable.
pub fn horizon(p: &Practice) -> Timestamp {
    let today = p.tz.to_datetime(p.now).date();
    let last = today + Span::new().days(i64::from(p.kind.horizon_days));
    first_reading(&p.tz, last.to_datetime(Time::midnight()))
}

/// Every slot the rules allow, found the slow way.
pub fn expected_slots(p: &Practice, from: Timestamp, until: Timestamp) -> Vec<Slot> {
    let mins = |n: u32| SignedDuration::from_mins(i64::from(n));
    let earliest = p.now + mins(p.kind.min_notice_min);
    let horizon = horizon(p);
    let today = p.tz.to_datetime(p.now).date();
    let mut slots = Vec::new();
    for days in -2..=i64::from(p.kind.horizon_days) + 1 {
        let date = today + Span::new().days(days);
        for (open, close) in open_stretches(p, date) {
            let mut start = open;
            while start + mins(p.kind.duration_min) <= close {
                let slot = Slot {
                    start,
                    end: start + mins(p.kind.duration_min),
                };
                let block = Block {
                    start: slot.start - mins(p.kind.buffer_before_min),
                    end: slot.end + mins(p.kind.buffer_after_min),
                };
                let free = p.existing.iter().all(|b| !b.block.overlaps(&block));
                let day = p.tz.to_datetime(start).date();
                let same_day = p
                    .existing
                    .iter()
                    .filter(|b| b.appointment_type == p.kind.slug)
                    .filter(|b| p.tz.to_datetime(b.start).date() == day)
                    .count();
                let room = p
                    .kind
                    .daily_cap
                    .is_none_or(|cap| same_day < usize::try_from(cap).unwrap());
                if start >= earliest
                    && start < horizon
                    && from <= start
                    && start < until
                    && free
                    && room
                {
                    slots.push(slot);
                }
                start += mins(p.kind.slot_interval_min);
            }
        }
    }
    slots.sort();
    slots.dedup();
    slots
}
