//! Overrides, buffers, notice, horizon, daily caps and the reasons
//! `check_start` gives. The practice is in London in June (BST, +01:00);
//! 2025-06-02 is a Monday.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod slots_support;

use jiff::civil::{Date, Weekday, date};
use slots_support::{Practice, booked, on, open_type, weekly, window};
use villi_domain::booking::{
    AppointmentType, OverrideKind, SlotRejection, check_start, generate_slots,
};

const MONDAY: Date = date(2025, 6, 2);
const TUESDAY: Date = date(2025, 6, 3);
const WEDNESDAY: Date = date(2025, 6, 4);
const SATURDAY: Date = date(2025, 6, 7);

/// Mornings 09:00-12:00 on weekdays, seen from the Sunday before.
fn london(kind: AppointmentType) -> Practice {
    let mut p = Practice::new("Europe/London", kind, "2025-06-01T08:00Z");
    for day in [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday] {
        p.rules.push(weekly(day, "09:00-12:00"));
    }
    p
}

fn discovery() -> AppointmentType {
    open_type("discovery", 15)
}

fn check(p: &Practice, local: &str) -> Result<(), SlotRejection> {
    check_start(&p.query(), p.at(local)).map(|_| ())
}

#[test]
fn slots_fill_each_window_and_stop_where_the_next_would_not_fit() {
    let kind = AppointmentType {
        slot_interval_min: 30,
        ..open_type("consultation", 45)
    };
    let p = london(kind);
    assert_eq!(
        p.starts_on(MONDAY),
        [
            "09:00+01:00",
            "09:30+01:00",
            "10:00+01:00",
            "10:30+01:00",
            "11:00+01:00"
        ]
    );
    // 11:30 is on the grid but 45 minutes would run past 12:00.
    assert_eq!(
        check(&p, "2025-06-02T11:30"),
        Err(SlotRejection::OutsideAvailability)
    );
}

#[test]
fn a_rule_for_another_type_does_not_open_hours_for_this_one() {
    let mut p = london(discovery());
    p.rules.push(villi_domain::booking::WeeklyRule {
        appointment_type: Some("consultation".to_owned()),
        ..weekly(Weekday::Saturday, "09:00-10:00")
    });
    assert!(p.starts_on(SATURDAY).is_empty());
    p.rules.push(villi_domain::booking::WeeklyRule {
        appointment_type: Some("discovery".to_owned()),
        ..weekly(Weekday::Saturday, "09:00-09:30")
    });
    assert_eq!(p.starts_on(SATURDAY), ["09:00+01:00", "09:15+01:00"]);
}

#[test]
fn extra_hours_open_a_date_the_weekly_rules_leave_closed() {
    let mut p = london(discovery());
    let extra = OverrideKind::ExtraHours {
        window: window("14:00-14:30"),
    };
    p.overrides.push(on(SATURDAY, extra));
    assert_eq!(p.starts_on(SATURDAY), ["14:00+01:00", "14:15+01:00"]);
}

#[test]
fn extra_hours_touching_a_rule_extend_its_grid() {
    let mut p = london(open_type("discovery", 40));
    let extra = OverrideKind::ExtraHours {
        window: window("12:00-12:30"),
    };
    p.overrides.push(on(MONDAY, extra));
    // One window 09:00-12:30: 11:40-12:20 fits only because the two merged,
    // and 12:00 is not a grid point of its own.
    assert_eq!(
        p.starts_on(MONDAY),
        [
            "09:00+01:00",
            "09:40+01:00",
            "10:20+01:00",
            "11:00+01:00",
            "11:40+01:00"
        ]
    );
}

#[test]
fn time_off_removes_hours_and_the_grid_restarts_after_it() {
    let mut p = london(open_type("discovery", 30));
    let off = OverrideKind::TimeOff {
        window: window("09:45-11:00"),
    };
    p.overrides.push(on(MONDAY, off));
    assert_eq!(
        p.starts_on(MONDAY),
        ["09:00+01:00", "11:00+01:00", "11:30+01:00"]
    );
    assert_eq!(
        check(&p, "2025-06-02T10:00"),
        Err(SlotRejection::OutsideAvailability)
    );
    assert_eq!(
        p.starts_on(TUESDAY).len(),
        6,
        "time off is for one date only"
    );
}

#[test]
fn a_day_off_closes_the_date_even_with_extra_hours() {
    let mut p = london(discovery());
    p.overrides.push(on(MONDAY, OverrideKind::DayOff));
    let extra = OverrideKind::ExtraHours {
        window: window("14:00-15:00"),
    };
    p.overrides.push(on(MONDAY, extra));
    assert!(p.starts_on(MONDAY).is_empty());
    assert_eq!(
        check(&p, "2025-06-02T09:00"),
        Err(SlotRejection::OutsideAvailability)
    );
}

#[test]
fn a_consultation_blocks_a_discovery_call_inside_its_buffered_block() {
    let mut p = london(AppointmentType {
        buffer_before_min: 10,
        ..discovery()
    });
    // A 60-minute consultation at 10:00 with 15 minutes after: 10:00-11:15.
    p.existing
        .push(booked("consultation", "2025-06-02T09:00Z", 60, 0, 15));
    assert_eq!(check(&p, "2025-06-02T10:30"), Err(SlotRejection::Taken));
    // 09:45-10:00 ends as the consultation starts: touching is no clash.
    assert_eq!(check(&p, "2025-06-02T09:45"), Ok(()));
    // 11:15 needs 11:05 for its own buffer, still inside the block.
    assert_eq!(check(&p, "2025-06-02T11:15"), Err(SlotRejection::Taken));
    assert_eq!(check(&p, "2025-06-02T11:30"), Ok(()));
    let monday = p.starts_on(MONDAY);
    assert!(monday.contains(&"09:45+01:00".to_owned()));
    assert!(!monday.contains(&"10:30+01:00".to_owned()));
    assert!(!monday.contains(&"11:15+01:00".to_owned()));
}

#[test]
fn the_minimum_notice_is_counted_from_now_and_includes_its_boundary() {
    let mut p = london(AppointmentType {
        min_notice_min: 90,
        ..open_type("discovery", 30)
    });
    p.now = p.at("2025-06-02T09:00");
    assert_eq!(
        p.starts_on(MONDAY),
        ["10:30+01:00", "11:00+01:00", "11:30+01:00"]
    );
    assert_eq!(check(&p, "2025-06-02T10:00"), Err(SlotRejection::TooSoon));
    assert_eq!(check(&p, "2025-06-02T10:30"), Ok(()));
}

#[test]
fn the_horizon_ends_at_local_midnight_a_whole_number_of_days_ahead() {
    let mut p = london(AppointmentType {
        horizon_days: 2,
        ..open_type("discovery", 60)
    });
    p.now = p.at("2025-06-02T07:00");
    assert_eq!(p.starts_on(TUESDAY).len(), 3);
    assert!(p.starts_on(WEDNESDAY).is_empty());
    assert_eq!(
        check(&p, "2025-06-04T09:00"),
        Err(SlotRejection::BeyondHorizon)
    );
}

#[test]
fn the_horizon_counts_dates_in_the_practitioners_zone_not_utc() {
    // 20:00 UTC on Monday is already 08:00 Tuesday in Auckland.
    let mut p = Practice::new(
        "Pacific/Auckland",
        AppointmentType {
            horizon_days: 1,
            ..open_type("discovery", 60)
        },
        "2025-06-02T20:00Z",
    );
    p.rules.push(weekly(Weekday::Tuesday, "09:00-10:00"));
    p.rules.push(weekly(Weekday::Wednesday, "09:00-10:00"));
    assert_eq!(p.starts_on(TUESDAY), ["09:00+12:00"]);
    assert!(p.starts_on(WEDNESDAY).is_empty());
}

#[test]
fn a_daily_cap_counts_only_bookings_of_the_same_type_on_the_local_date() {
    let mut p = london(AppointmentType {
        daily_cap: Some(2),
        ..discovery()
    });
    p.rules.push(weekly(Weekday::Monday, "23:00-23:59"));
    p.existing
        .push(booked("discovery", "2025-06-02T08:00Z", 15, 0, 0));
    p.existing
        .push(booked("consultation", "2025-06-02T09:00Z", 60, 0, 0));
    assert!(!p.starts_on(MONDAY).is_empty(), "one discovery leaves room");
    // 23:30 UTC on Monday is 00:30 on Tuesday in London: Tuesday's count.
    p.existing
        .push(booked("discovery", "2025-06-02T23:30Z", 15, 0, 0));
    assert!(!p.starts_on(MONDAY).is_empty());
    p.existing
        .push(booked("discovery", "2025-06-02T10:00Z", 15, 0, 0));
    assert!(p.starts_on(MONDAY).is_empty());
    assert_eq!(
        check(&p, "2025-06-02T09:00"),
        Err(SlotRejection::DailyCapReached)
    );
    assert!(!p.starts_on(TUESDAY).is_empty());
}

#[test]
fn a_daily_cap_of_zero_offers_nothing() {
    let p = london(AppointmentType {
        daily_cap: Some(0),
        ..discovery()
    });
    assert!(generate_slots(&p.query()).is_empty());
}

#[test]
fn only_slots_starting_between_from_and_until_are_returned() {
    let p = london(open_type("discovery", 60));
    let (from, until) = (p.at("2025-06-02T10:00"), p.at("2025-06-03T10:00"));
    let got: Vec<_> = generate_slots(&p.between(from, until))
        .into_iter()
        .map(|s| p.local(s.start))
        .collect();
    assert_eq!(got, ["10:00+01:00", "11:00+01:00", "09:00+01:00"]);
}

#[test]
fn a_start_between_grid_points_is_off_grid_and_outside_any_window_is_unavailable() {
    let p = london(open_type("discovery", 30));
    assert_eq!(check(&p, "2025-06-02T09:10"), Err(SlotRejection::OffGrid));
    assert_eq!(
        check(&p, "2025-06-02T13:00"),
        Err(SlotRejection::OutsideAvailability)
    );
    assert_eq!(
        check(&p, "2025-06-07T09:00"),
        Err(SlotRejection::OutsideAvailability)
    );
}

#[test]
fn availability_and_grid_reasons_win_over_notice_and_bookings() {
    let mut p = london(AppointmentType {
        daily_cap: Some(1),
        ..open_type("discovery", 30)
    });
    p.existing
        .push(booked("discovery", "2025-06-02T08:00Z", 30, 0, 0));
    // Off the grid and taken: the grid is the useful answer.
    assert_eq!(check(&p, "2025-06-02T09:10"), Err(SlotRejection::OffGrid));
    // Taken and over the cap: the cap says to pick another day.
    assert_eq!(
        check(&p, "2025-06-02T09:00"),
        Err(SlotRejection::DailyCapReached)
    );
    // Taken, over the cap and too soon: the notice comes first.
    p.now = p.at("2025-06-02T08:00");
    p.kind.min_notice_min = 12 * 60;
    assert_eq!(check(&p, "2025-06-02T09:00"), Err(SlotRejection::TooSoon));
}

#[test]
fn an_invalid_appointment_type_offers_nothing_instead_of_looping() {
    let p = london(AppointmentType {
        slot_interval_min: 0,
        ..discovery()
    });
    assert!(generate_slots(&p.query()).is_empty());
    assert_eq!(
        check(&p, "2025-06-02T09:00"),
        Err(SlotRejection::OutsideAvailability)
    );
}

#[test]
fn an_accepted_start_returns_the_slot_with_its_end() {
    let p = london(open_type("discovery", 45));
    let slot = check_start(&p.query(), p.at("2025-06-02T09:45")).unwrap();
    assert_eq!(p.local(slot.end), "10:30+01:00");
}
