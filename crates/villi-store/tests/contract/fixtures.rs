//! Small builders shared by the contract tests.

use jiff::Timestamp;
use jiff::civil::date;
use villi_domain::booking::{AppointmentType, Block};
use villi_store::{CreateBooking, NewBooking, NewJob, NewPractitioner, Practitioner, Store};

/// "Now" in every test: a Saturday well before the bookings below.
pub fn now() -> Timestamp {
    date(2030, 6, 1)
        .at(0, 0, 0, 0)
        .in_tz("UTC")
        .unwrap()
        .timestamp()
}

/// `hh:mm` UTC on Monday 2030-06-03.
pub fn at(hour: i8, minute: i8) -> Timestamp {
    date(2030, 6, 3)
        .at(hour, minute, 0, 0)
        .in_tz("UTC")
        .unwrap()
        .timestamp()
}

pub fn minutes(n: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_mins(n)
}

pub async fn practitioner(store: &Store, slug: &str) -> Practitioner {
    store
        .add_practitioner(&NewPractitioner {
            slug: slug.to_owned(),
            name: format!("Practitioner {slug}"),
            email: format!("{slug}@practice.example"),
            time_zone: "Europe/London".to_owned(),
            bio: String::new(),
        })
        .await
        .unwrap()
}

/// Stores `discovery` (15 min, no buffers) and `consultation` (60 min, 15
/// min buffers) and returns a practitioner to book with.
pub async fn practice(store: &Store) -> Practitioner {
    store
        .upsert_appointment_type(&AppointmentType::new("discovery", "Discovery call", 15))
        .await
        .unwrap();
    let mut consultation = AppointmentType::new("consultation", "Consultation", 60);
    consultation.buffer_before_min = 15;
    consultation.buffer_after_min = 15;
    store.upsert_appointment_type(&consultation).await.unwrap();
    practitioner(store, "ana").await
}

/// A booking of `length` minutes at `start`, its block widened by `buffer`
/// minutes on each side.
pub fn booking(
    practitioner: &Practitioner,
    start: Timestamp,
    length: i64,
    buffer: i64,
) -> NewBooking {
    let end = start + minutes(length);
    let id = uuid::Uuid::new_v4().to_string();
    NewBooking {
        practitioner_id: practitioner.id.clone(),
        appointment_type: if buffer == 0 {
            "discovery"
        } else {
            "consultation"
        }
        .to_owned(),
        start,
        end,
        block: Block {
            start: start - minutes(buffer),
            end: end + minutes(buffer),
        },
        name: "Robin Visitor".to_owned(),
        email: format!("visitor-{id}@example.org"),
        phone: Some("+44 20 7946 0000".to_owned()),
        help_with: "Bloating after meals".to_owned(),
        heard_from: "A friend".to_owned(),
        consent: true,
        answers: serde_json::json!({ "main_symptom": "bloating" }),
        visitor_time_zone: "America/New_York".to_owned(),
        manage_token_hash: format!("hash-{id}"),
        manage_token_expires_at: start,
        id,
    }
}

/// The plainest create request: no idempotency key, generous cap, no jobs.
pub fn create(booking: NewBooking) -> CreateBooking {
    CreateBooking {
        booking,
        idempotency: None,
        max_active_per_email: 10,
        jobs: Vec::new(),
        calendar: None,
        now: now(),
    }
}

pub fn job(kind: &str, run_at: Timestamp) -> NewJob {
    NewJob {
        kind: kind.to_owned(),
        booking_id: None,
        payload: serde_json::json!({ "kind": kind }),
        run_at,
    }
}
