//! The booking JSON API against the real router and a real database, on
//! SQLite and PostgreSQL. Outcomes are judged from the database rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::{TestApp, booking_body};
use serde_json::json;

on_both_backends!(
    booking_a_free_slot_returns_201_and_the_slot_is_no_longer_offered,
    sixty_four_concurrent_bookings_of_one_slot_give_exactly_one,
    a_consultation_racing_an_overlapping_discovery_call_gives_one,
    concurrent_reschedules_into_one_slot_give_one,
    booking_an_overlapping_slot_returns_409,
    a_start_off_the_grid_or_outside_hours_is_422_with_the_field,
    invalid_input_is_422_naming_every_field,
    a_body_over_the_limit_is_413_and_books_nothing,
    a_retry_with_the_same_idempotency_key_returns_the_original_booking,
    a_retry_for_the_first_available_returns_the_original_when_nobody_is_free,
    cancelling_with_the_manage_token_frees_the_slot_and_drops_reminders,
    a_wrong_token_cannot_cancel,
    rescheduling_moves_the_booking_and_its_reminders,
    the_active_bookings_of_one_email_are_capped,
);

/// Sends every request at the same moment (behind a barrier) and returns
/// their statuses in order.
async fn race<Fut>(requests: impl Iterator<Item = Fut>) -> Vec<u16>
where
    Fut: std::future::Future<Output = u16> + Send + 'static,
{
    let requests: Vec<Fut> = requests.collect();
    let barrier = Arc::new(tokio::sync::Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                request.await
            })
        })
        .collect();
    futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

async fn first_slot(app: &TestApp, who: &str, kind: &str) -> serde_json::Value {
    app.slots(who, kind, 5)
        .await
        .into_iter()
        .next()
        .expect("a free slot")
}

async fn booking_a_free_slot_returns_201_and_the_slot_is_no_longer_offered(app: TestApp) {
    let slot = first_slot(&app, "hannah", "discovery").await;
    let start = slot["start"].as_str().unwrap();
    let (status, body) = app
        .book("hannah", "discovery", start, "sam@example.com")
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "active");
    assert_eq!(body["practitioner"], "hannah");
    assert!(body["manage_url"].as_str().unwrap().contains("/manage/"));
    let again = app.slots("hannah", "discovery", 5).await;
    assert!(again.iter().all(|s| s["start"] != slot["start"]));
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 1);
    // Confirmation and practitioner notice now, reminders later.
    assert!(app.count("SELECT count(*) FROM jobs").await >= 2);
}

async fn sixty_four_concurrent_bookings_of_one_slot_give_exactly_one(app: TestApp) {
    let slot = first_slot(&app, "ada", "discovery").await;
    let start = slot["start"].as_str().unwrap().to_owned();
    let app = Arc::new(app);
    let statuses = race((0..64).map(|i| {
        let (app, start) = (app.clone(), start.clone());
        async move {
            app.book("ada", "discovery", &start, &format!("racer{i}@example.com"))
                .await
                .0
        }
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM bookings WHERE status = 'active'")
            .await,
        1
    );
}

/// A consultation at hh:00 and a discovery call at hh:30 on the same
/// practitioner overlap; racing them must leave one.
async fn a_consultation_racing_an_overlapping_discovery_call_gives_one(app: TestApp) {
    let consults = app.slots("hannah", "consultation", 5).await;
    let slot = consults
        .iter()
        .find(|s| s["start"].as_str().unwrap().contains(":00:00"))
        .unwrap();
    let start: jiff::Timestamp = slot["start"].as_str().unwrap().parse().unwrap();
    let half_past = (start + jiff::SignedDuration::from_mins(30)).to_string();
    let app = Arc::new(app);
    let statuses = race((0..16).map(|i| {
        let app = app.clone();
        let (kind, at) = if i % 2 == 0 {
            ("consultation", start.to_string())
        } else {
            ("discovery", half_past.clone())
        };
        async move {
            app.book("hannah", kind, &at, &format!("mixed{i}@example.com"))
                .await
                .0
        }
    }))
    .await;
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM bookings WHERE status = 'active'")
            .await,
        1
    );
}

async fn concurrent_reschedules_into_one_slot_give_one(app: TestApp) {
    let slots = app.slots("ada", "discovery", 5).await;
    let mut tokens = Vec::new();
    for (i, slot) in slots.iter().step_by(4).take(8).enumerate() {
        let (status, body) = app
            .book(
                "ada",
                "discovery",
                slot["start"].as_str().unwrap(),
                &format!("mover{i}@example.com"),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let url = body["manage_url"].as_str().unwrap().to_owned();
        let token = url.rsplit('/').next().unwrap().to_owned();
        tokens.push((body["id"].as_str().unwrap().to_owned(), token));
    }
    let target = slots[4 * 8 + 2]["start"].as_str().unwrap().to_owned();
    let app = Arc::new(app);
    let statuses = race(tokens.into_iter().map(|(id, token)| {
        let (app, target) = (app.clone(), target.clone());
        async move {
            app.post_json(
                &format!("/api/v1/bookings/{id}/reschedule"),
                &json!({"token": token, "start": target}),
            )
            .await
            .0
        }
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 409),
        "{statuses:?}"
    );
    assert_eq!(
        app.count("SELECT count(*) FROM bookings WHERE status = 'active'")
            .await,
        8
    );
    let target_secs = target.parse::<jiff::Timestamp>().unwrap().as_second();
    let at_target = app
        .state
        .store
        .bookings_for_practitioner(
            &app.state
                .store
                .practitioner_by_slug("ada")
                .await
                .unwrap()
                .unwrap()
                .id,
            jiff::Timestamp::from_second(target_secs).unwrap(),
            jiff::Timestamp::from_second(target_secs + 60).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        at_target
            .iter()
            .filter(|b| b.status == villi_store::BookingStatus::Active)
            .count(),
        1
    );
}

async fn booking_an_overlapping_slot_returns_409(app: TestApp) {
    let consults = app.slots("hannah", "consultation", 5).await;
    let slot = consults
        .iter()
        .find(|s| s["start"].as_str().unwrap().contains(":00:00"))
        .unwrap();
    let start: jiff::Timestamp = slot["start"].as_str().unwrap().parse().unwrap();
    let (status, _) = app
        .book(
            "hannah",
            "consultation",
            &start.to_string(),
            "a@example.com",
        )
        .await;
    assert_eq!(status, 201);
    let half_past = (start + jiff::SignedDuration::from_mins(30)).to_string();
    let (status, body) = app
        .book("hannah", "discovery", &half_past, "b@example.com")
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "slot_taken");
}

async fn a_start_off_the_grid_or_outside_hours_is_422_with_the_field(app: TestApp) {
    let slot = first_slot(&app, "hannah", "discovery").await;
    let start: jiff::Timestamp = slot["start"].as_str().unwrap().parse().unwrap();
    let off_grid = (start + jiff::SignedDuration::from_mins(7)).to_string();
    let (status, body) = app
        .book("hannah", "discovery", &off_grid, "c@example.com")
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "start");
    // 03:00 London is outside the 08:00-20:00 hours.
    let night = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .date()
        .checked_add(jiff::Span::new().days(3))
        .unwrap()
        .at(3, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .unwrap()
        .timestamp()
        .to_string();
    let (status, body) = app
        .book("hannah", "discovery", &night, "c@example.com")
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "start");
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 0);
}

async fn invalid_input_is_422_naming_every_field(app: TestApp) {
    let (status, body) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"practitioner": "hannah", "type": "discovery", "start": "soon",
                    "name": "", "email": "nope", "timezone": "Mars/Base", "consent": false}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in [
        "start",
        "name",
        "email",
        "timezone",
        "consent",
        "answers.main_concern",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let (status, body) = app
        .post_json(
            "/api/v1/bookings",
            &json!({"practitioner": "hannah", "surprise": 1}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "invalid_input");
    let r = app
        .client
        .post(app.url("/api/v1/bookings"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
}

async fn a_retry_with_the_same_idempotency_key_returns_the_original_booking(app: TestApp) {
    let slot = first_slot(&app, "ada", "discovery").await;
    let body = booking_body(
        "ada",
        "discovery",
        slot["start"].as_str().unwrap(),
        "idem@example.com",
    );
    let app = Arc::new(app);
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (app, body) = (app.clone(), body.clone());
            tokio::spawn(async move {
                let r = app
                    .client
                    .post(app.url("/api/v1/bookings"))
                    .header("idempotency-key", "retry-1")
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status().as_u16();
                (status, r.json::<serde_json::Value>().await.unwrap())
            })
        })
        .collect();
    let results: Vec<_> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(results.iter().all(|(s, _)| *s == 201), "{results:?}");
    let first_id = &results[0].1["id"];
    assert!(results.iter().all(|(_, b)| &b["id"] == first_id));
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 1);
    // The same key with a different body is refused.
    let mut other = body.clone();
    other["name"] = json!("Someone Else");
    let r = app
        .client
        .post(app.url("/api/v1/bookings"))
        .header("idempotency-key", "retry-1")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
}

fn token_of(body: &serde_json::Value) -> (String, String) {
    let url = body["manage_url"].as_str().unwrap();
    let mut parts = url.rsplit('/');
    let token = parts.next().unwrap().to_owned();
    let id = parts.next().unwrap().to_owned();
    (id, token)
}

async fn cancelling_with_the_manage_token_frees_the_slot_and_drops_reminders(app: TestApp) {
    // A slot more than a day ahead, so both reminders are planned.
    let slots = app.slots("hannah", "discovery", 5).await;
    let later = slots
        .iter()
        .find(|s| {
            let t: jiff::Timestamp = s["start"].as_str().unwrap().parse().unwrap();
            t.duration_since(jiff::Timestamp::now()) > jiff::SignedDuration::from_hours(30)
        })
        .unwrap();
    let start = later["start"].as_str().unwrap();
    let (_, body) = app
        .book("hannah", "discovery", start, "cancel@example.com")
        .await;
    let (id, token) = token_of(&body);
    assert_eq!(
        app.count("SELECT count(*) FROM jobs WHERE kind = 'reminder'")
            .await,
        2
    );
    let r = app
        .client
        .post(app.url(&format!("/api/v1/bookings/{id}/cancel")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "cancelled");
    assert_eq!(body["sequence"], 1);
    assert_eq!(
        app.count("SELECT count(*) FROM jobs WHERE kind = 'reminder'")
            .await,
        0
    );
    let again = app.slots("hannah", "discovery", 5).await;
    assert!(again.iter().any(|s| s["start"] == later["start"]));
    // Cancelling twice says so.
    let (status, body) = app
        .post_json(
            &format!("/api/v1/bookings/{id}/cancel"),
            &json!({"token": token}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
}

async fn a_wrong_token_cannot_cancel(app: TestApp) {
    let slot = first_slot(&app, "hannah", "discovery").await;
    let (_, body) = app
        .book(
            "hannah",
            "discovery",
            slot["start"].as_str().unwrap(),
            "t@example.com",
        )
        .await;
    let (id, _) = token_of(&body);
    let (status, _) = app
        .post_json(
            &format!("/api/v1/bookings/{id}/cancel"),
            &json!({"token": "guess"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.count("SELECT count(*) FROM bookings WHERE status = 'active'")
            .await,
        1
    );
}

async fn rescheduling_moves_the_booking_and_its_reminders(app: TestApp) {
    let slots = app.slots("ada", "discovery", 5).await;
    let (_, body) = app
        .book(
            "ada",
            "discovery",
            slots[0]["start"].as_str().unwrap(),
            "r@example.com",
        )
        .await;
    let (id, token) = token_of(&body);
    let target = slots.last().unwrap()["start"].as_str().unwrap();
    let (status, moved) = app
        .post_json(
            &format!("/api/v1/bookings/{id}/reschedule"),
            &json!({"token": token, "start": target}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    let target_ts: jiff::Timestamp = target.parse().unwrap();
    assert_eq!(moved["start"], target_ts.to_string());
    assert_eq!(moved["sequence"], 1);
    let offered = app.slots("ada", "discovery", 5).await;
    assert!(
        offered.iter().any(|s| s["start"] == slots[0]["start"]),
        "old slot is free again"
    );
    assert!(
        offered.iter().all(|s| s["start"] != target),
        "new slot is taken"
    );
    let reminders = app.state.store.pending_jobs(&id).await.unwrap();
    for r in reminders.iter().filter(|j| j.kind == "reminder") {
        assert!(
            r.run_at < target_ts && r.run_at > target_ts - jiff::SignedDuration::from_hours(25)
        );
    }
}

async fn the_active_bookings_of_one_email_are_capped(app: TestApp) {
    let slots = app.slots("hannah", "discovery", 5).await;
    for slot in slots.iter().step_by(4).take(3) {
        let (status, body) = app
            .book(
                "hannah",
                "discovery",
                slot["start"].as_str().unwrap(),
                "cap@example.com",
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = app
        .book(
            "hannah",
            "discovery",
            slots[14]["start"].as_str().unwrap(),
            "CAP@example.com",
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "too_many_bookings");
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 3);
}

async fn a_retry_for_the_first_available_returns_the_original_when_nobody_is_free(app: TestApp) {
    let slot = first_slot(&app, "any", "discovery").await;
    let start = slot["start"].as_str().unwrap();
    let body = booking_body("any", "discovery", start, "first@example.com");
    let send = || {
        app.client
            .post(app.url("/api/v1/bookings"))
            .header("idempotency-key", "double-click")
            .json(&body)
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    // Whoever else was free at that time is booked by someone else.
    for who in ["ada", "hannah"] {
        let _ = app
            .book(who, "discovery", start, &format!("other-{who}@example.com"))
            .await;
    }
    let again = send().await.unwrap();
    assert_eq!(again.status(), 201);
    let again: serde_json::Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["practitioner"], first["practitioner"]);
    // And a different request under that key is still refused.
    let other = app
        .client
        .post(app.url("/api/v1/bookings"))
        .header("idempotency-key", "double-click")
        .json(&booking_body(
            "any",
            "discovery",
            start,
            "someone@example.com",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 422);
}

async fn a_body_over_the_limit_is_413_and_books_nothing(app: TestApp) {
    let slot = first_slot(&app, "ada", "discovery").await;
    let mut body = booking_body(
        "ada",
        "discovery",
        slot["start"].as_str().unwrap(),
        "big@example.com",
    );
    body["help_with"] = serde_json::Value::String("x".repeat(300 * 1024));
    let (status, reply) = app.post_json("/api/v1/bookings", &body).await;
    assert_eq!(status, 413, "{reply}");
    assert_eq!(reply["error"]["code"], "too_large");
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 0);
}
