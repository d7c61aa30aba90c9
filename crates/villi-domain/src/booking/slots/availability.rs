//! One local date's availability as wall-clock windows.

use jiff::civil::Date;

use crate::booking::{DateOverride, OverrideKind, WeeklyRule, Window};

/// The windows open on `date` for the appointment type `slug`: sorted,
/// disjoint and not touching.
///
/// Weekly rules for the weekday (for every type, or for `slug`) and extra
/// hours are united, then time off is cut out; a day off empties the date.
/// Touching windows are merged too, so `09:00-10:00` and `10:00-11:00` step
/// as one window. A window whose end is not after its start (possible only
/// when it was deserialised without [`Window::new`]) is ignored.
pub(super) fn windows_on(
    date: Date,
    slug: &str,
    rules: &[WeeklyRule],
    overrides: &[DateOverride],
) -> Vec<Window> {
    let todays = || overrides.iter().filter(move |o| o.date == date);
    if todays().any(|o| o.kind == OverrideKind::DayOff) {
        return Vec::new();
    }
    let weekly = rules
        .iter()
        .filter(|r| r.weekday == date.weekday())
        .filter(|r| r.appointment_type.as_deref().is_none_or(|t| t == slug))
        .map(|r| r.window);
    let extra = todays().filter_map(|o| match o.kind {
        OverrideKind::ExtraHours { window } => Some(window),
        _ => None,
    });
    let mut open = merge(weekly.chain(extra).collect());
    for off in todays() {
        if let OverrideKind::TimeOff { window } = off.kind {
            open = subtract(&open, window);
        }
    }
    open
}

/// Sorts and unites windows that overlap or touch.
fn merge(mut windows: Vec<Window>) -> Vec<Window> {
    windows.retain(|w| w.start < w.end);
    windows.sort_by_key(|w| (w.start, w.end));
    let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match merged.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => merged.push(w),
        }
    }
    merged
}

/// Removes `off` from every window, splitting a window it falls inside.
fn subtract(open: &[Window], off: Window) -> Vec<Window> {
    if off.start >= off.end {
        return open.to_vec();
    }
    let mut rest = Vec::with_capacity(open.len() + 1);
    for w in open {
        let pieces = [
            (w.start, w.end.min(off.start)),
            (w.start.max(off.end), w.end),
        ];
        rest.extend(
            pieces
                .into_iter()
                .filter(|(start, end)| start < end)
                .map(|(start, end)| Window { start, end }),
        );
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Weekday, date};

    fn w(text: &str) -> Window {
        Window::parse(text).unwrap()
    }

    fn rule(weekday: Weekday, text: &str, kind: Option<&str>) -> WeeklyRule {
        WeeklyRule {
            weekday,
            window: w(text),
            appointment_type: kind.map(str::to_owned),
        }
    }

    // 2025-06-02 is a Monday.
    const MONDAY: Date = date(2025, 6, 2);

    #[test]
    fn overlapping_and_touching_rules_merge_into_one_window() {
        let rules = [
            rule(Weekday::Monday, "09:00-10:00", None),
            rule(Weekday::Monday, "10:00-11:00", None),
            rule(Weekday::Monday, "10:30-12:00", None),
            rule(Weekday::Monday, "14:00-15:00", None),
        ];
        let got = windows_on(MONDAY, "discovery", &rules, &[]);
        assert_eq!(got, vec![w("09:00-12:00"), w("14:00-15:00")]);
    }

    #[test]
    fn rules_for_another_weekday_or_type_do_not_open_the_date() {
        let rules = [
            rule(Weekday::Tuesday, "09:00-10:00", None),
            rule(Weekday::Monday, "11:00-12:00", Some("consultation")),
            rule(Weekday::Monday, "13:00-14:00", Some("discovery")),
        ];
        let got = windows_on(MONDAY, "discovery", &rules, &[]);
        assert_eq!(got, vec![w("13:00-14:00")]);
    }

    #[test]
    fn time_off_splits_a_window_and_extra_hours_join_it() {
        let rules = [rule(Weekday::Monday, "09:00-12:00", None)];
        let overrides = [
            DateOverride {
                date: MONDAY,
                kind: OverrideKind::TimeOff {
                    window: w("10:00-10:30"),
                },
            },
            DateOverride {
                date: MONDAY,
                kind: OverrideKind::ExtraHours {
                    window: w("11:30-13:00"),
                },
            },
        ];
        let got = windows_on(MONDAY, "discovery", &rules, &overrides);
        assert_eq!(got, vec![w("09:00-10:00"), w("10:30-13:00")]);
    }

    #[test]
    fn a_day_off_wins_over_extra_hours() {
        let rules = [rule(Weekday::Monday, "09:00-12:00", None)];
        let overrides = [
            DateOverride {
                date: MONDAY,
                kind: OverrideKind::ExtraHours {
                    window: w("13:00-14:00"),
                },
            },
            DateOverride {
                date: MONDAY,
                kind: OverrideKind::DayOff,
            },
        ];
        assert!(windows_on(MONDAY, "discovery", &rules, &overrides).is_empty());
    }

    #[test]
    fn an_inverted_deserialised_window_is_ignored() {
        let inverted = WeeklyRule {
            weekday: Weekday::Monday,
            window: Window {
                start: w("12:00-13:00").end,
                end: w("09:00-10:00").start,
            },
            appointment_type: None,
        };
        assert!(windows_on(MONDAY, "discovery", &[inverted], &[]).is_empty());
    }
}
