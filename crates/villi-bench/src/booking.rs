//! Booking load: free slots are fetched first, then thinned so that no two
//! can conflict, then handed out one per request, so every POST targets its
//! own free slot.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, bail};
use bytes::Bytes;
use hyper::Method;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Deserialize;
use serde_json::json;

use crate::http::Connection;
use crate::load::{Job, JobSource};

/// The longest range one availability request may cover on villi's API is
/// 62 days; asking in shorter pieces stays well inside it.
const DAYS_PER_REQUEST: i64 = 31;

/// A free slot as the availability API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeSlot {
    pub practitioner: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

#[derive(Deserialize)]
struct SlotOut {
    start: String,
    end: String,
    practitioner: String,
}

#[derive(Deserialize)]
struct AvailabilityOut {
    slots: Vec<SlotOut>,
}

#[derive(Deserialize)]
struct PractitionerOut {
    slug: String,
}

/// The slugs of every practitioner the API lists.
pub async fn practitioner_slugs(conn: &mut Connection) -> anyhow::Result<Vec<String>> {
    let value = conn.get_json("/api/v1/practitioners").await?;
    let list: Vec<PractitionerOut> =
        serde_json::from_value(value).context("/api/v1/practitioners: unexpected shape")?;
    Ok(list.into_iter().map(|p| p.slug).collect())
}

/// The availability path for one practitioner (or `any`) over local dates
/// `from..=to` in UTC.
pub fn availability_path(practitioner: &str, kind: &str, from: Date, to: Date) -> String {
    format!(
        "/api/v1/availability?practitioner={practitioner}&type={kind}&from={from}&to={to}&tz=UTC"
    )
}

/// Every free slot of `practitioners` for appointment type `kind` on the
/// `days` UTC dates starting at `from`.
pub async fn fetch_free_slots(
    conn: &mut Connection,
    practitioners: &[String],
    kind: &str,
    from: Date,
    days: i64,
) -> anyhow::Result<Vec<FreeSlot>> {
    for name in practitioners.iter().map(String::as_str).chain([kind]) {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            bail!("'{name}' is not a slug (letters, digits and '-')");
        }
    }
    let mut slots = Vec::new();
    for slug in practitioners {
        let mut day = 0;
        while day < days {
            let first = from.checked_add(day.days())?;
            let last =
                from.checked_add((day + DAYS_PER_REQUEST).min(days).saturating_sub(1).days())?;
            let path = availability_path(slug, kind, first, last);
            let out: AvailabilityOut = serde_json::from_value(conn.get_json(&path).await?)
                .with_context(|| format!("GET {path}: unexpected shape"))?;
            for s in out.slots {
                slots.push(FreeSlot {
                    start: parse_instant(&path, &s.start)?,
                    end: parse_instant(&path, &s.end)?,
                    practitioner: s.practitioner,
                });
            }
            day += DAYS_PER_REQUEST;
        }
    }
    Ok(slots)
}

fn parse_instant(path: &str, text: &str) -> anyhow::Result<Timestamp> {
    text.parse()
        .with_context(|| format!("GET {path}: '{text}' is not an RFC 3339 instant"))
}

/// Thins `slots` so that no two picks can conflict: per practitioner, each
/// pick starts at least `gap` after the previous pick ends (the appointment
/// type's buffers). Picks are then interleaved across practitioners, so
/// neighbouring requests go to different calendars, as real visitors would.
pub fn distinct_slots(slots: Vec<FreeSlot>, gap: SignedDuration) -> Vec<FreeSlot> {
    let mut by_practitioner: BTreeMap<String, Vec<FreeSlot>> = BTreeMap::new();
    for slot in slots {
        by_practitioner
            .entry(slot.practitioner.clone())
            .or_default()
            .push(slot);
    }
    let mut columns: Vec<std::vec::IntoIter<FreeSlot>> = Vec::new();
    for (_, mut list) in by_practitioner {
        list.sort_by_key(|s| s.start);
        let mut picked: Vec<FreeSlot> = Vec::new();
        for slot in list {
            let clear = picked.last().is_none_or(|prev| {
                prev.end
                    .checked_add(gap)
                    .is_ok_and(|free_from| slot.start >= free_from)
            });
            if clear {
                picked.push(slot);
            }
        }
        columns.push(picked.into_iter());
    }
    let mut out = Vec::new();
    loop {
        let before = out.len();
        out.extend(columns.iter_mut().filter_map(Iterator::next));
        if out.len() == before {
            return out;
        }
    }
}

/// The JSON a visitor's booking form would send for `slot`; the email is
/// unique per request so per-email limits never decide the outcome.
pub fn booking_body(slot: &FreeSlot, kind: &str, run_tag: &str, index: u64) -> Bytes {
    let body = json!({
        "practitioner": slot.practitioner,
        "type": kind,
        "start": slot.start.to_string(),
        "name": format!("Load Visitor {index}"),
        "email": format!("visitor-{run_tag}-{index}@example.org"),
        "timezone": "UTC",
        "consent": true,
        "answers": { "main_concern": "Bloating or gas" },
    });
    Bytes::from(body.to_string())
}

/// Request `i` books slot `i`; there is no request past the last slot.
pub fn booking_jobs(slots: Vec<FreeSlot>, kind: String, run_tag: String) -> JobSource {
    let slots = Arc::new(slots);
    Arc::new(move |index| {
        let slot = slots.get(usize::try_from(index).ok()?)?;
        Some(Job {
            method: Method::POST,
            path: "/api/v1/bookings".to_owned(),
            body: Some(booking_body(slot, &kind, &run_tag, index)),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(who: &str, start: &str, minutes: i64) -> FreeSlot {
        let start: Timestamp = start.parse().unwrap();
        FreeSlot {
            practitioner: who.to_owned(),
            start,
            end: start
                .checked_add(SignedDuration::from_mins(minutes))
                .unwrap(),
        }
    }

    #[test]
    fn overlapping_grid_slots_are_thinned_to_ones_that_cannot_conflict() {
        // A 60-minute type on a 30-minute grid with a 15-minute buffer.
        let grid: Vec<_> = [
            "00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00",
        ]
        .iter()
        .map(|t| slot("a", &format!("2030-01-07T{t}:00Z"), 60))
        .collect();
        let picked = distinct_slots(grid, SignedDuration::from_mins(15));
        let starts: Vec<_> = picked.iter().map(|s| s.start.to_string()).collect();
        assert_eq!(
            starts,
            [
                "2030-01-07T00:00:00Z",
                "2030-01-07T01:30:00Z",
                "2030-01-07T03:00:00Z"
            ]
        );
    }

    #[test]
    fn picks_alternate_between_practitioners() {
        let slots = vec![
            slot("a", "2030-01-07T09:00:00Z", 15),
            slot("a", "2030-01-07T10:00:00Z", 15),
            slot("b", "2030-01-07T09:00:00Z", 15),
        ];
        let picked = distinct_slots(slots, SignedDuration::from_mins(5));
        let who: Vec<_> = picked.iter().map(|s| s.practitioner.as_str()).collect();
        assert_eq!(who, ["a", "b", "a"]);
    }

    #[test]
    fn the_same_time_with_two_practitioners_is_two_distinct_slots() {
        let slots = vec![
            slot("a", "2030-01-07T09:00:00Z", 15),
            slot("b", "2030-01-07T09:00:00Z", 15),
        ];
        assert_eq!(distinct_slots(slots, SignedDuration::ZERO).len(), 2);
    }

    #[test]
    fn each_booking_body_names_its_slot_and_a_unique_email() {
        let s = slot("a", "2030-01-07T09:00:00Z", 15);
        let one: serde_json::Value =
            serde_json::from_slice(&booking_body(&s, "discovery", "r1", 1)).unwrap();
        let two: serde_json::Value =
            serde_json::from_slice(&booking_body(&s, "discovery", "r1", 2)).unwrap();
        assert_eq!(one["start"], "2030-01-07T09:00:00Z");
        assert_eq!(one["practitioner"], "a");
        assert_eq!(one["consent"], true);
        assert_eq!(one["answers"]["main_concern"], "Bloating or gas");
        assert_ne!(one["email"], two["email"]);
    }

    #[test]
    fn the_job_source_runs_dry_after_the_last_slot() {
        let jobs = booking_jobs(
            vec![slot("a", "2030-01-07T09:00:00Z", 15)],
            "discovery".into(),
            "r".into(),
        );
        assert!(jobs(0).is_some());
        assert!(jobs(1).is_none());
    }

    #[test]
    fn the_availability_path_asks_in_utc() {
        let d: Date = "2030-01-07".parse().unwrap();
        assert_eq!(
            availability_path("any", "discovery", d, d),
            "/api/v1/availability?practitioner=any&type=discovery&from=2030-01-07&to=2030-01-07&tz=UTC"
        );
    }
}
