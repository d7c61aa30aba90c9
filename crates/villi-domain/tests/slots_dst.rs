//! Slots across both daylight-saving transitions, in three hemispheres' worth
//! of zones. Expected starts are written as the practitioner's clock shows
//! them, with the offset, so a repeated hour reads as two distinct times.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod slots_support;

use jiff::civil::{Weekday, date};
use slots_support::{Practice, open_type, ts, weekly};
use villi_domain::booking::{SlotRejection, check_start, generate_slots};

fn practice(zone: &str, now: &str, minutes: u32, rule: (Weekday, &str)) -> Practice {
    let mut p = Practice::new(zone, open_type("discovery", minutes), now);
    p.rules.push(weekly(rule.0, rule.1));
    p
}

/// Every generated slot must also pass `check_start`.
fn assert_all_checkable(p: &Practice) {
    for slot in generate_slots(&p.query()) {
        assert_eq!(check_start(&p.query(), slot.start), Ok(slot));
    }
}

// America/New_York: 2024-03-10 02:00 EST jumps to 03:00 EDT;
// 2024-11-03 02:00 EDT falls back to 01:00 EST. Both are Sundays.

#[test]
fn new_york_spring_forward_skips_the_missing_hour() {
    let p = practice(
        "America/New_York",
        "2024-03-08T00:00Z",
        30,
        (Weekday::Sunday, "01:00-04:00"),
    );
    assert_eq!(
        p.starts_on(date(2024, 3, 10)),
        ["01:00-05:00", "01:30-05:00", "03:00-04:00", "03:30-04:00"]
    );
    assert_all_checkable(&p);
}

#[test]
fn new_york_window_starting_in_the_gap_opens_at_the_transition() {
    let p = practice(
        "America/New_York",
        "2024-03-08T00:00Z",
        30,
        (Weekday::Sunday, "02:30-04:00"),
    );
    assert_eq!(
        p.starts_on(date(2024, 3, 10)),
        ["03:00-04:00", "03:30-04:00"]
    );
    // 07:30Z reads 03:30 EDT, a grid point counted from the transition.
    assert!(check_start(&p.query(), ts("2024-03-10T07:30Z")).is_ok());
    // 07:15Z is inside the window but between grid points.
    assert_eq!(
        check_start(&p.query(), ts("2024-03-10T07:15Z")),
        Err(SlotRejection::OffGrid)
    );
}

#[test]
fn new_york_window_ending_in_the_gap_closes_at_the_transition() {
    let p = practice(
        "America/New_York",
        "2024-03-08T00:00Z",
        30,
        (Weekday::Sunday, "00:00-02:30"),
    );
    assert_eq!(
        p.starts_on(date(2024, 3, 10)),
        ["00:00-05:00", "00:30-05:00", "01:00-05:00", "01:30-05:00"]
    );
}

#[test]
fn new_york_window_wholly_inside_the_gap_offers_nothing() {
    let p = practice(
        "America/New_York",
        "2024-03-08T00:00Z",
        15,
        (Weekday::Sunday, "02:00-02:45"),
    );
    assert!(p.starts_on(date(2024, 3, 10)).is_empty());
}

#[test]
fn new_york_fall_back_offers_the_repeated_hour_twice_as_distinct_instants() {
    let p = practice(
        "America/New_York",
        "2024-11-01T00:00Z",
        30,
        (Weekday::Sunday, "00:00-03:00"),
    );
    assert_eq!(
        p.starts_on(date(2024, 11, 3)),
        [
            "00:00-04:00",
            "00:30-04:00",
            "01:00-04:00",
            "01:30-04:00",
            "01:00-05:00",
            "01:30-05:00",
            "02:00-05:00",
            "02:30-05:00",
        ]
    );
    let slots = generate_slots(&p.query());
    let mut starts: Vec<_> = slots.iter().map(|s| s.start).collect();
    starts.dedup();
    assert_eq!(starts.len(), slots.len());
    assert_all_checkable(&p);
}

#[test]
fn new_york_window_starting_in_the_repeated_hour_opens_at_its_first_occurrence() {
    let p = practice(
        "America/New_York",
        "2024-11-01T00:00Z",
        30,
        (Weekday::Sunday, "01:30-02:30"),
    );
    assert_eq!(
        p.starts_on(date(2024, 11, 3)),
        ["01:30-04:00", "01:00-05:00", "01:30-05:00", "02:00-05:00"]
    );
}

#[test]
fn new_york_window_ending_in_the_repeated_hour_closes_at_its_last_occurrence() {
    let p = practice(
        "America/New_York",
        "2024-11-01T00:00Z",
        30,
        (Weekday::Sunday, "00:00-01:30"),
    );
    assert_eq!(
        p.starts_on(date(2024, 11, 3)),
        [
            "00:00-04:00",
            "00:30-04:00",
            "01:00-04:00",
            "01:30-04:00",
            "01:00-05:00"
        ]
    );
}

#[test]
fn windows_that_meet_in_real_time_inside_the_fold_share_one_grid() {
    // 00:00-01:30 ends at the second 01:30 and 01:45-03:00 starts at the
    // first 01:45, so in real time the break between them never happens.
    let mut p = practice(
        "America/New_York",
        "2024-11-01T00:00Z",
        30,
        (Weekday::Sunday, "00:00-01:30"),
    );
    p.rules.push(weekly(Weekday::Sunday, "01:45-03:00"));
    assert_eq!(
        p.starts_on(date(2024, 11, 3)),
        [
            "00:00-04:00",
            "00:30-04:00",
            "01:00-04:00",
            "01:30-04:00",
            "01:00-05:00",
            "01:30-05:00",
            "02:00-05:00",
            "02:30-05:00",
        ]
    );
    assert_all_checkable(&p);
}

#[test]
fn new_york_hour_long_slots_step_in_real_time_through_the_fold() {
    let p = practice(
        "America/New_York",
        "2024-11-01T00:00Z",
        60,
        (Weekday::Sunday, "00:30-03:00"),
    );
    assert_eq!(
        p.starts_on(date(2024, 11, 3)),
        ["00:30-04:00", "01:30-04:00", "01:30-05:00"]
    );
}

// Europe/London: 2025-03-30 01:00 GMT jumps to 02:00 BST;
// 2025-10-26 02:00 BST falls back to 01:00 GMT.

#[test]
fn london_spring_forward_skips_the_missing_hour() {
    let p = practice(
        "Europe/London",
        "2025-03-28T00:00Z",
        60,
        (Weekday::Sunday, "00:00-03:00"),
    );
    assert_eq!(
        p.starts_on(date(2025, 3, 30)),
        ["00:00+00:00", "02:00+01:00"]
    );
    assert_all_checkable(&p);
}

#[test]
fn london_window_starting_in_the_gap_opens_at_the_transition() {
    let p = practice(
        "Europe/London",
        "2025-03-28T00:00Z",
        20,
        (Weekday::Sunday, "01:10-03:00"),
    );
    assert_eq!(
        p.starts_on(date(2025, 3, 30)),
        ["02:00+01:00", "02:20+01:00", "02:40+01:00"]
    );
}

#[test]
fn london_fall_back_repeats_the_hour() {
    let p = practice(
        "Europe/London",
        "2025-10-24T00:00Z",
        60,
        (Weekday::Sunday, "00:00-03:00"),
    );
    assert_eq!(
        p.starts_on(date(2025, 10, 26)),
        ["00:00+01:00", "01:00+01:00", "01:00+00:00", "02:00+00:00"]
    );
    assert_all_checkable(&p);
}

// Australia/Sydney, southern hemisphere: 2025-04-06 03:00 AEDT falls back to
// 02:00 AEST; 2025-10-05 02:00 AEST jumps to 03:00 AEDT.

#[test]
fn sydney_april_fall_back_repeats_the_hour() {
    let p = practice(
        "Australia/Sydney",
        "2025-04-03T00:00Z",
        60,
        (Weekday::Sunday, "01:00-04:00"),
    );
    assert_eq!(
        p.starts_on(date(2025, 4, 6)),
        ["01:00+11:00", "02:00+11:00", "02:00+10:00", "03:00+10:00"]
    );
    assert_all_checkable(&p);
}

#[test]
fn sydney_october_spring_forward_skips_the_missing_hour() {
    let p = practice(
        "Australia/Sydney",
        "2025-10-02T00:00Z",
        30,
        (Weekday::Sunday, "01:00-04:00"),
    );
    assert_eq!(
        p.starts_on(date(2025, 10, 5)),
        ["01:00+10:00", "01:30+10:00", "03:00+11:00", "03:30+11:00"]
    );
    assert_all_checkable(&p);
}

#[test]
fn sydney_window_starting_in_the_october_gap_opens_at_the_transition() {
    let p = practice(
        "Australia/Sydney",
        "2025-10-02T00:00Z",
        30,
        (Weekday::Sunday, "02:15-03:30"),
    );
    assert_eq!(p.starts_on(date(2025, 10, 5)), ["03:00+11:00"]);
}

// Australia/Lord_Howe moves by half an hour: 2025-04-06 02:00 (+11) falls back
// to 01:30 (+10:30).

#[test]
fn lord_howe_half_hour_fall_back_repeats_half_an_hour() {
    let p = practice(
        "Australia/Lord_Howe",
        "2025-04-03T00:00Z",
        30,
        (Weekday::Sunday, "01:00-02:30"),
    );
    assert_eq!(
        p.starts_on(date(2025, 4, 6)),
        ["01:00+11:00", "01:30+11:00", "01:30+10:30", "02:00+10:30"]
    );
    assert_all_checkable(&p);
}

#[test]
fn an_ordinary_day_in_the_same_zone_is_unaffected() {
    let p = practice(
        "America/New_York",
        "2024-03-01T00:00Z",
        30,
        (Weekday::Sunday, "01:00-04:00"),
    );
    assert_eq!(
        p.starts_on(date(2024, 3, 3)),
        [
            "01:00-05:00",
            "01:30-05:00",
            "02:00-05:00",
            "02:30-05:00",
            "03:00-05:00",
            "03:30-05:00"
        ]
    );
}
