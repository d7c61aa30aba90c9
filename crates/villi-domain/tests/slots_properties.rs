//! Properties of the slot generator over random practices in nine zones,
//! with `now` drawn around their DST transitions of 2024-2026.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod slots_support;

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use slots_support::oracle::{expected_slots, horizon, open_stretches};
use slots_support::scenario::{Scenario, scenario};
use villi_domain::booking::{Slot, check_start, generate_slots};

fn generated(s: &Scenario) -> Vec<Slot> {
    generate_slots(&s.practice.between(s.from, s.until))
}

/// Everything offered at any time, for comparing with `check_start`.
fn all_slots(s: &Scenario) -> Vec<Slot> {
    generate_slots(&s.practice.between(Timestamp::MIN, Timestamp::MAX))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_slot_block_overlaps_an_existing_booking_block(s in scenario()) {
        let kind = &s.practice.kind;
        for slot in generated(&s) {
            let block = slot.block(kind);
            for booking in &s.practice.existing {
                prop_assert!(!block.overlaps(&booking.block), "{slot:?} clashes with {booking:?}");
            }
        }
    }

    /// Read back on the practitioner's clock, each slot lies within one open
    /// stretch of its own local date, on that stretch's grid.
    #[test]
    fn every_slot_lies_inside_the_availability_of_its_local_date(s in scenario()) {
        let p = &s.practice;
        let step = SignedDuration::from_mins(i64::from(p.kind.slot_interval_min)).as_nanos();
        for slot in generated(&s) {
            let date = p.tz.to_datetime(slot.start).date();
            prop_assert_eq!(p.tz.to_datetime(slot.end - SignedDuration::from_nanos(1)).date(), date);
            let home = open_stretches(p, date)
                .into_iter()
                .find(|(open, close)| *open <= slot.start && slot.end <= *close);
            prop_assert!(home.is_some(), "{slot:?} is outside {date}'s availability");
            if let Some((open, _)) = home {
                prop_assert_eq!(slot.start.duration_since(open).as_nanos() % step, 0);
            }
            prop_assert_eq!(slot.end.duration_since(slot.start).as_mins(), i64::from(p.kind.duration_min));
        }
    }

    #[test]
    fn no_slot_starts_before_the_notice_or_past_the_horizon_or_the_asked_range(s in scenario()) {
        let p = &s.practice;
        let earliest = p.now + SignedDuration::from_mins(i64::from(p.kind.min_notice_min));
        let horizon = horizon(p);
        for slot in generated(&s) {
            prop_assert!(slot.start >= earliest, "{slot:?} is sooner than {earliest}");
            prop_assert!(slot.start < horizon, "{slot:?} is past {horizon}");
            prop_assert!(s.from <= slot.start && slot.start < s.until);
        }
    }

    #[test]
    fn slots_are_sorted_and_unique(s in scenario()) {
        let slots = generated(&s);
        for pair in slots.windows(2) {
            prop_assert!(pair[0].start < pair[1].start, "{:?} then {:?}", pair[0], pair[1]);
        }
    }

    /// The generator offers exactly what the slow model allows: nothing
    /// more, and no free grid point is missed.
    #[test]
    fn the_generator_matches_a_minute_by_minute_model(s in scenario()) {
        let want = expected_slots(&s.practice, s.from, s.until);
        prop_assert_eq!(generated(&s), want);
    }

    #[test]
    fn check_start_agrees_with_generate_slots(s in scenario(), probes in proptest::collection::vec(0_i64..14 * 24 * 60, 20)) {
        let p = &s.practice;
        let all = all_slots(&s);
        for slot in &all {
            prop_assert_eq!(check_start(&p.between(s.from, s.until), slot.start), Ok(*slot));
        }
        // Near misses around every offered start, grid points of every open
        // stretch, and arbitrary minutes.
        let mut candidates: Vec<Timestamp> = Vec::new();
        for slot in &all {
            for delta in [-5, -1, 1, 5] {
                candidates.push(slot.start + SignedDuration::from_mins(delta));
            }
        }
        let today = p.tz.to_datetime(p.now).date();
        let step = SignedDuration::from_mins(i64::from(p.kind.slot_interval_min));
        for days in -1..=i64::from(p.kind.horizon_days) + 1 {
            let date = today + jiff::Span::new().days(days);
            for (open, close) in open_stretches(p, date) {
                let mut t = open;
                while t < close {
                    candidates.push(t);
                    t += step;
                }
            }
        }
        let midnight_before = p.now - SignedDuration::from_hours(24);
        candidates.extend(probes.iter().map(|m| midnight_before + SignedDuration::from_mins(*m)));
        for start in candidates {
            let offered = all.binary_search_by_key(&start, |s| s.start).is_ok();
            let verdict = check_start(&p.between(s.from, s.until), start);
            prop_assert_eq!(verdict.is_ok(), offered, "{} -> {:?}", start, verdict);
        }
    }

    #[test]
    fn every_slot_start_survives_utc_to_local_to_utc(s in scenario()) {
        let tz = &s.practice.tz;
        for slot in generated(&s) {
            let local = tz.to_datetime(slot.start);
            let back = tz.to_ambiguous_timestamp(local);
            let earlier = back.earlier().unwrap();
            let later = back.later().unwrap();
            prop_assert!(slot.start == earlier || slot.start == later);
            prop_assert_eq!(tz.to_datetime(earlier), local);
        }
    }
}
