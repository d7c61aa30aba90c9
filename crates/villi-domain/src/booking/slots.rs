//! The slot generator: free appointment starts from availability, bookings
//! and the appointment type's limits. Pure: the caller supplies `now`.
//!
//! # Availability
//!
//! For each local date in the practitioner's zone, the open windows are the
//! weekly rules for that weekday that apply to the type (no type, or the
//! type's slug) together with that date's extra hours, minus its time off; a
//! day off closes the date. Overlapping or touching windows merge, so two
//! rules `09:00-10:00` and `10:00-11:00` step as one. Overrides apply to
//! every appointment type. A window belongs to one date: it cannot run past
//! midnight, and windows of neighbouring dates never merge.
//!
//! # Time zones and daylight saving
//!
//! A window is the stretch of real time from the first moment the
//! practitioner's clock shows its start to the last moment it shows its end:
//!
//! * a bound in a spring-forward gap maps to the transition instant, so
//!   `02:30-04:00` on the New York spring-forward date opens at 03:00;
//! * in a repeated hour the start takes the earlier instant and the end the
//!   later one, so `00:00-03:00` on a fall-back date lasts four real hours
//!   and offers the repeated hour twice, as distinct instants.
//!
//! Windows that are apart on the clock can still overlap in real time (one
//! ending and the next starting inside a repeated hour); such stretches are
//! merged, so each stretch of real time has one grid.
//!
//! Slots step by `slot_interval_min` of real elapsed time from each window's
//! start, and a slot is offered only when it ends within the window. Slot
//! starts are instants, so none can name a wall time that does not exist.
//!
//! # Limits
//!
//! A slot is offered only when
//!
//! * it starts at or after `now + min_notice_min`;
//! * it starts before the first instant of the local date `horizon_days`
//!   after today's local date (today counts as day 0);
//! * its block (the slot widened by the type's buffers) overlaps no existing
//!   block, whatever that booking's type: blocks are half-open, so blocks
//!   that only touch do not clash;
//! * with a `daily_cap`, fewer than that many existing bookings of the same
//!   type start on the slot's local date (a cap of 0 closes every date);
//! * it starts in `[from, until)`.
//!
//! An appointment type that fails [`AppointmentType::validate`] offers
//! nothing, which also keeps a zero interval from stepping forever.
//!
//! # Checking one start
//!
//! [`check_start`] applies the same rules to one requested start and agrees
//! with [`generate_slots`]: it accepts exactly the starts the generator
//! offers when `[from, until)` covers them. Reasons are tried from the most
//! useful to the least: whether the time is available at all and on the grid
//! ([`SlotRejection::OutsideAvailability`], [`SlotRejection::OffGrid`]),
//! then the notice and the horizon, then the daily cap (another time that
//! day would not help), and last whether another booking holds the time.

mod availability;
mod instants;

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use self::availability::windows_on;
use self::instants::{earliest_at, latest_at, local_date, minutes, shift, start_of};
use super::{AppointmentType, Block, DateOverride, ExistingBooking, Slot, WeeklyRule};

/// Everything slot generation needs; no I/O happens inside.
#[derive(Debug, Clone)]
pub struct SlotQuery<'a> {
    /// The practitioner's zone: rules and overrides are wall-clock times in it.
    pub time_zone: &'a TimeZone,
    pub kind: &'a AppointmentType,
    pub rules: &'a [WeeklyRule],
    pub overrides: &'a [DateOverride],
    /// Active bookings of this practitioner, of every type. When moving a
    /// booking, leave it out, so its own time and its place under the daily
    /// cap are free to choose again.
    pub existing: &'a [ExistingBooking],
    pub now: Timestamp,
    /// Only slots starting in `[from, until)` are returned.
    pub from: Timestamp,
    pub until: Timestamp,
}

/// Why a requested start cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotRejection {
    #[error("the start is not on the slot grid of this appointment type")]
    OffGrid,
    #[error("the practitioner is not available at that time")]
    OutsideAvailability,
    #[error("the start is sooner than the minimum notice")]
    TooSoon,
    #[error("the start is further ahead than bookings are taken")]
    BeyondHorizon,
    #[error("the time overlaps another booking")]
    Taken,
    #[error("the practitioner has no more room for this appointment type that day")]
    DailyCapReached,
}

/// Free slots, sorted by start, without duplicates.
pub fn generate_slots(query: &SlotQuery<'_>) -> Vec<Slot> {
    let Some(rules) = Rules::new(query) else {
        return Vec::new();
    };
    let lo = query.from.max(rules.earliest);
    let hi = rules.horizon.map_or(query.until, |h| query.until.min(h));
    if lo >= hi {
        return Vec::new();
    }
    let tz = query.time_zone;
    // A window of one date could, around a fold at midnight, hold instants
    // of a neighbouring date, so one date of margin is scanned on each side.
    let first = local_date(tz, lo).saturating_sub(1.day());
    let last = local_date(tz, hi).saturating_add(1.day());
    let booked = rules.bookings_per_date();
    let mut slots = Vec::new();
    let mut date = first;
    loop {
        for (open, close) in rules.windows(date) {
            let mut start = open;
            while let Some(slot) = rules.fitting(start, close) {
                if slot.start >= hi {
                    break;
                }
                if slot.start >= lo && rules.room_on(&booked, slot.start) && !rules.clashes(&slot) {
                    slots.push(slot);
                }
                let Ok(next) = start.checked_add(rules.interval) else {
                    break;
                };
                start = next;
            }
        }
        match date.tomorrow() {
            Ok(next) if date < last => date = next,
            _ => break,
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

/// Checks one requested start against the same rules as [`generate_slots`].
pub fn check_start(query: &SlotQuery<'_>, start: Timestamp) -> Result<Slot, SlotRejection> {
    let rules = Rules::new(query).ok_or(SlotRejection::OutsideAvailability)?;
    let slot = rules.place(start)?;
    if slot.start < rules.earliest {
        return Err(SlotRejection::TooSoon);
    }
    if rules.horizon.is_some_and(|h| slot.start >= h) {
        return Err(SlotRejection::BeyondHorizon);
    }
    if !rules.room_on(&rules.bookings_per_date(), slot.start) {
        return Err(SlotRejection::DailyCapReached);
    }
    if rules.clashes(&slot) {
        return Err(SlotRejection::Taken);
    }
    Ok(slot)
}

/// A query with its limits worked out once.
struct Rules<'q, 'a> {
    query: &'q SlotQuery<'a>,
    duration: SignedDuration,
    interval: SignedDuration,
    /// `now` plus the minimum notice.
    earliest: Timestamp,
    /// First instant no longer bookable; `None` past the end of the calendar.
    horizon: Option<Timestamp>,
}

impl<'q, 'a> Rules<'q, 'a> {
    fn new(query: &'q SlotQuery<'a>) -> Option<Self> {
        let kind = query.kind;
        kind.validate().ok()?;
        let tz = query.time_zone;
        let horizon = local_date(tz, query.now)
            .checked_add(i64::from(kind.horizon_days).days())
            .ok()
            .and_then(|date| start_of(tz, date));
        Some(Self {
            query,
            duration: minutes(kind.duration_min),
            interval: minutes(kind.slot_interval_min),
            earliest: shift(query.now, minutes(kind.min_notice_min)),
            horizon,
        })
    }

    /// The open windows of `date` as instants `[open, close)`, sorted.
    ///
    /// Windows apart on the clock can overlap in real time when one ends and
    /// the next starts inside a repeated hour; they are merged again so one
    /// stretch of real time has one grid.
    fn windows(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        let q = self.query;
        let mut stretches: Vec<(Timestamp, Timestamp)> = Vec::new();
        for w in windows_on(date, &q.kind.slug, q.rules, q.overrides) {
            let open = earliest_at(q.time_zone, date.to_datetime(w.start));
            let close = latest_at(q.time_zone, date.to_datetime(w.end));
            let (Some(open), Some(close)) = (open, close) else {
                continue;
            };
            match stretches.last_mut() {
                _ if open >= close => {}
                Some(last) if open <= last.1 => last.1 = last.1.max(close),
                _ => stretches.push((open, close)),
            }
        }
        stretches
    }

    /// The slot starting at `start`, if it ends by `close`.
    fn fitting(&self, start: Timestamp, close: Timestamp) -> Option<Slot> {
        let end = start.checked_add(self.duration).ok()?;
        (end <= close).then_some(Slot { start, end })
    }

    /// The slot a requested start names, judged against availability only.
    fn place(&self, start: Timestamp) -> Result<Slot, SlotRejection> {
        let tz = self.query.time_zone;
        let date = local_date(tz, start);
        let mut inside_window = false;
        let mut on_grid = false;
        for day in [
            date.saturating_sub(1.day()),
            date,
            date.saturating_add(1.day()),
        ] {
            for (open, close) in self.windows(day) {
                if start < open || start >= close {
                    continue;
                }
                inside_window = true;
                if is_multiple(start.duration_since(open), self.interval) {
                    on_grid = true;
                    if let Some(slot) = self.fitting(start, close) {
                        return Ok(slot);
                    }
                }
            }
        }
        // On the grid but too long for what is left of the window reads as
        // unavailable; inside a window but between grid points as off grid.
        if inside_window && !on_grid {
            Err(SlotRejection::OffGrid)
        } else {
            Err(SlotRejection::OutsideAvailability)
        }
    }

    /// Existing bookings of this type, counted by their local start date.
    fn bookings_per_date(&self) -> BTreeMap<Date, u32> {
        let mut counts = BTreeMap::new();
        if self.query.kind.daily_cap.is_none() {
            return counts;
        }
        for booking in self.query.existing {
            if booking.appointment_type == self.query.kind.slug {
                let date = local_date(self.query.time_zone, booking.start);
                *counts.entry(date).or_insert(0_u32) += 1;
            }
        }
        counts
    }

    /// Whether the daily cap leaves room on the local date of `start`.
    fn room_on(&self, counts: &BTreeMap<Date, u32>, start: Timestamp) -> bool {
        self.query.kind.daily_cap.is_none_or(|cap| {
            let date = local_date(self.query.time_zone, start);
            counts.get(&date).copied().unwrap_or(0) < cap
        })
    }

    /// Whether the slot's block overlaps an existing booking's block.
    fn clashes(&self, slot: &Slot) -> bool {
        let kind = self.query.kind;
        // Saturating, unlike `Slot::block`, so no start can panic here.
        let block = Block {
            start: shift(slot.start, -minutes(kind.buffer_before_min)),
            end: shift(slot.end, minutes(kind.buffer_after_min)),
        };
        self.query.existing.iter().any(|b| b.block.overlaps(&block))
    }
}

/// Whether `elapsed` is a whole number of `step`s.
fn is_multiple(elapsed: SignedDuration, step: SignedDuration) -> bool {
    let step = step.as_nanos();
    step != 0 && elapsed.as_nanos() % step == 0
}
