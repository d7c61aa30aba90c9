//! Free slots as visitors see them: the practice's hours, the bookings read
//! fresh from the store, and the domain's pure generator.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use villi_domain::booking::{
    AppointmentType, ExistingBooking, SlotQuery, SlotRejection, generate_slots,
};
use villi_store::{Practitioner, Store};

use super::practice::Practice;
use crate::error::ApiError;

/// Longest range one availability request may cover.
pub const MAX_RANGE_DAYS: i64 = 62;

/// A free slot and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedSlot {
    pub start: Timestamp,
    pub end: Timestamp,
    pub practitioner_slug: String,
}

/// Parses an IANA zone name, or says which field was wrong.
pub fn parse_zone(field: &str, name: &str) -> Result<TimeZone, ApiError> {
    TimeZone::get(name.trim()).map_err(|_| {
        ApiError::invalid(
            field,
            format!("'{name}' is not an IANA time zone such as Europe/London"),
        )
    })
}

/// The instants covering local dates `from..=to` in `zone`.
pub fn date_range(
    from: Date,
    to: Date,
    zone: &TimeZone,
) -> Result<(Timestamp, Timestamp), ApiError> {
    if to < from {
        return Err(ApiError::invalid("to", "must not be before 'from'"));
    }
    let days = from
        .until(to)
        .map_err(|_| ApiError::invalid("to", "is out of range"))?
        .get_days();
    if i64::from(days) >= MAX_RANGE_DAYS {
        return Err(ApiError::invalid(
            "to",
            format!("the range may cover at most {MAX_RANGE_DAYS} days"),
        ));
    }
    let start = from
        .to_zoned_datetime(zone.clone())
        .map_err(|_| ApiError::invalid("from", "is out of range"))?;
    let end = to
        .checked_add(1.day())
        .and_then(|d| d.to_zoned_datetime(zone.clone()))
        .map_err(|_| ApiError::invalid("to", "is out of range"))?;
    Ok((start.timestamp(), end.timestamp()))
}

/// Bookings of one practitioner that could touch slots in `[from, until)`,
/// read fresh: local dates can start up to a day either side of the range.
async fn bookings_around(
    store: &Store,
    practitioner: &Practitioner,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<ExistingBooking>, ApiError> {
    let margin = SignedDuration::from_hours(48);
    Ok(store
        .active_bookings(
            &practitioner.id,
            from.saturating_sub(margin).unwrap_or(from),
            until.saturating_add(margin).unwrap_or(until),
        )
        .await?)
}

/// Free slots of one practitioner starting in `[from, until)`.
pub async fn free_slots(
    store: &Store,
    practice: &Practice,
    practitioner: &Practitioner,
    kind: &AppointmentType,
    from: Timestamp,
    until: Timestamp,
    now: Timestamp,
) -> Result<Vec<OfferedSlot>, ApiError> {
    let (hours, zone) = practice.hours(practitioner)?;
    let existing = bookings_around(store, practitioner, from, until).await?;
    let query = SlotQuery {
        time_zone: zone,
        kind,
        rules: &hours.rules,
        overrides: &hours.overrides,
        existing: &existing,
        now,
        from,
        until,
    };
    Ok(generate_slots(&query)
        .into_iter()
        .map(|s| OfferedSlot {
            start: s.start,
            end: s.end,
            practitioner_slug: practitioner.slug.clone(),
        })
        .collect())
}

/// Free slots of several practitioners, merged in time order.
pub async fn free_slots_of(
    store: &Store,
    practice: &Practice,
    practitioners: &[Practitioner],
    kind: &AppointmentType,
    from: Timestamp,
    until: Timestamp,
    now: Timestamp,
) -> Result<Vec<OfferedSlot>, ApiError> {
    let mut all = Vec::new();
    for p in practitioners {
        all.extend(free_slots(store, practice, p, kind, from, until, now).await?);
    }
    all.sort_by(|a, b| (a.start, &a.practitioner_slug).cmp(&(b.start, &b.practitioner_slug)));
    Ok(all)
}

/// The answer for a start the calendar refuses.
pub(crate) fn rejection(r: SlotRejection) -> ApiError {
    match r {
        SlotRejection::Taken => ApiError::slot_taken(),
        SlotRejection::DailyCapReached => ApiError::Conflict {
            code: "day_full",
            message: r.to_string(),
        },
        other => ApiError::invalid("start", other.to_string()),
    }
}
