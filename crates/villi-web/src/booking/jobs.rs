//! The background work a booking change plans: emails now, reminders later.
//! Jobs name the booking and are rendered when they run, so a reminder always
//! shows the booking as it is then.

use jiff::{SignedDuration, Timestamp};
use villi_domain::booking::Slot;
use villi_store::NewJob;

pub const CONFIRMATION: &str = "email.confirmation";
pub const RESCHEDULED: &str = "email.rescheduled";
pub const CANCELLED: &str = "email.cancelled";
pub const PRACTITIONER_NEW: &str = "email.practitioner.new";
pub const PRACTITIONER_CHANGED: &str = "email.practitioner.changed";
pub const PRACTITIONER_CANCELLED: &str = "email.practitioner.cancelled";
/// Reminder jobs; the store drops pending ones of this prefix when a booking
/// is cancelled or moved.
pub const REMINDER: &str = "reminder";

fn now_job(kind: &str, booking_id: &str, now: Timestamp) -> NewJob {
    NewJob {
        kind: kind.to_owned(),
        booking_id: Some(booking_id.to_owned()),
        payload: serde_json::json!({}),
        run_at: now,
    }
}

pub fn on_booked(booking_id: &str, now: Timestamp) -> Vec<NewJob> {
    vec![
        now_job(CONFIRMATION, booking_id, now),
        now_job(PRACTITIONER_NEW, booking_id, now),
    ]
}

pub fn on_rescheduled(booking_id: &str, now: Timestamp) -> Vec<NewJob> {
    vec![
        now_job(RESCHEDULED, booking_id, now),
        now_job(PRACTITIONER_CHANGED, booking_id, now),
    ]
}

pub fn on_cancelled(booking_id: &str, now: Timestamp) -> Vec<NewJob> {
    vec![
        now_job(CANCELLED, booking_id, now),
        now_job(PRACTITIONER_CANCELLED, booking_id, now),
    ]
}

/// One reminder per offset that is still in the future.
pub fn reminders(
    booking_id: &str,
    slot: &Slot,
    offsets_min: &[u32],
    now: Timestamp,
) -> Vec<NewJob> {
    offsets_min
        .iter()
        .filter_map(|&minutes| {
            let at = slot
                .start
                .checked_sub(SignedDuration::from_mins(i64::from(minutes)))
                .ok()?;
            (at > now).then(|| NewJob {
                kind: REMINDER.to_owned(),
                booking_id: Some(booking_id.to_owned()),
                payload: serde_json::json!({ "minutes_before": minutes }),
                run_at: at,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_already_past_are_not_planned() {
        let start: Timestamp = "2030-01-02T10:00:00Z".parse().unwrap();
        let slot = Slot {
            start,
            end: start + SignedDuration::from_mins(15),
        };
        let now: Timestamp = "2030-01-01T20:00:00Z".parse().unwrap();
        let planned = reminders("b1", &slot, &[24 * 60, 60], now);
        assert_eq!(planned.len(), 1);
        assert_eq!(planned[0].run_at, "2030-01-02T09:00:00Z".parse().unwrap());
        assert_eq!(planned[0].payload["minutes_before"], 60);
    }
}
