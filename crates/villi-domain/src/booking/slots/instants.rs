//! Wall-clock times of the practitioner's zone mapped to instants.
//!
//! A wall-clock time can name no instant (in a spring-forward gap) or two
//! (in a fall-back fold). A window is read as the stretch of real time from
//! the first moment the practitioner's clock shows its start to the last
//! moment it shows its end, which is what someone who keeps to their clock
//! that night actually works.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// The first instant at which the clock shows `local` or later: the instant
/// itself, the earlier of two in a fold, the transition in a gap.
pub(super) fn earliest_at(tz: &TimeZone, local: DateTime) -> Option<Timestamp> {
    match tz.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).ok(),
        AmbiguousOffset::Gap { before, after } => gap_transition(tz, local, before, after),
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(local).ok(),
    }
}

/// The last instant at which the clock shows `local` or earlier: the instant
/// itself, the later of two in a fold, the transition in a gap.
pub(super) fn latest_at(tz: &TimeZone, local: DateTime) -> Option<Timestamp> {
    match tz.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).ok(),
        AmbiguousOffset::Gap { before, after } => gap_transition(tz, local, before, after),
        AmbiguousOffset::Fold { after, .. } => after.to_timestamp(local).ok(),
    }
}

/// The instant the clock jumps over the gap that contains `local`.
fn gap_transition(
    tz: &TimeZone,
    local: DateTime,
    before: jiff::tz::Offset,
    after: jiff::tz::Offset,
) -> Option<Timestamp> {
    // Read with the later offset, `local` is an instant shortly before the
    // jump; read with the earlier offset, one at or after it.
    let ahead = after.to_timestamp(local).ok()?;
    let behind = before.to_timestamp(local).ok()?;
    let jump = tz.following(ahead).next().map(|t| t.timestamp());
    // Zone data always has that transition; should it not, the conventional
    // "compatible" reading keeps the result inside the gap's bounds.
    Some(jump.filter(|j| *j <= behind).unwrap_or(behind))
}

/// The practitioner's calendar date at `instant`.
pub(super) fn local_date(tz: &TimeZone, instant: Timestamp) -> Date {
    tz.to_datetime(instant).date()
}

/// The first instant of `date` in the zone.
pub(super) fn start_of(tz: &TimeZone, date: Date) -> Option<Timestamp> {
    earliest_at(tz, date.to_datetime(Time::midnight()))
}

/// `instant + by`, held at the ends of the representable range.
pub(super) fn shift(instant: Timestamp, by: SignedDuration) -> Timestamp {
    instant.checked_add(by).unwrap_or(if by.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// A number of minutes as a duration.
pub(super) fn minutes(n: u32) -> SignedDuration {
    SignedDuration::from_mins(i64::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::datetime;
    use proptest::prelude::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_time_in_the_new_york_spring_gap_maps_to_the_transition() {
        let tz = zone("America/New_York");
        let local = datetime(2024, 3, 10, 2, 30, 0, 0);
        assert_eq!(earliest_at(&tz, local), Some(ts("2024-03-10T07:00:00Z")));
        assert_eq!(latest_at(&tz, local), Some(ts("2024-03-10T07:00:00Z")));
    }

    #[test]
    fn a_time_in_the_new_york_fold_has_an_earlier_and_a_later_instant() {
        let tz = zone("America/New_York");
        let local = datetime(2024, 11, 3, 1, 30, 0, 0);
        assert_eq!(earliest_at(&tz, local), Some(ts("2024-11-03T05:30:00Z")));
        assert_eq!(latest_at(&tz, local), Some(ts("2024-11-03T06:30:00Z")));
    }

    #[test]
    fn lord_howe_half_hour_gap_maps_to_its_transition() {
        // Lord Howe moves from +10:30 to +11 at 02:00 on the first Sunday of
        // October, so 02:00-02:30 does not exist.
        let tz = zone("Australia/Lord_Howe");
        let local = datetime(2024, 10, 6, 2, 10, 0, 0);
        assert_eq!(earliest_at(&tz, local), Some(ts("2024-10-05T15:30:00Z")));
    }

    #[test]
    fn an_ordinary_time_maps_to_its_only_instant() {
        let tz = zone("Asia/Kolkata");
        let local = datetime(2024, 6, 1, 9, 0, 0, 0);
        assert_eq!(earliest_at(&tz, local), Some(ts("2024-06-01T03:30:00Z")));
        assert_eq!(latest_at(&tz, local), Some(ts("2024-06-01T03:30:00Z")));
    }

    const ZONES: [&str; 7] = [
        "America/New_York",
        "Europe/London",
        "Australia/Sydney",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "UTC",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// An instant read on the practitioner's clock and mapped back lands
        /// on itself: it is the earlier or the later reading of that time.
        #[test]
        fn utc_to_local_to_utc_is_the_identity(
            zone_index in 0..ZONES.len(),
            // 2020-01-01 to 2030-01-01, second resolution.
            second in 1_577_836_800_i64..1_893_456_000,
        ) {
            let tz = zone(ZONES[zone_index]);
            let instant = Timestamp::from_second(second).unwrap();
            let local = tz.to_datetime(instant);
            let earliest = earliest_at(&tz, local).unwrap();
            let latest = latest_at(&tz, local).unwrap();
            prop_assert!(earliest <= latest);
            prop_assert!(instant == earliest || instant == latest);
            prop_assert_eq!(tz.to_datetime(earliest), local);
            prop_assert_eq!(tz.to_datetime(latest), local);
        }
    }
}
