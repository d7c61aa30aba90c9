//! The public pages without JavaScript, the emails and invites they send,
//! and the protections around them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestApp, invite_in};
use villi_domain::calendar::parse_invite;
use villi_store::Backend;

on_both_backends!(
    the_form_flow_books_and_the_outbox_holds_a_valid_invite,
    cancelling_sends_a_cancel_invite_with_the_same_uid_and_a_higher_sequence,
    two_workers_send_each_email_once,
);

/// The `(name, value)` of a form token in a page.
fn form_token(html: &str) -> String {
    let at = html.find("name=\"form_token\" value=\"").unwrap() + 25;
    html[at..].split('"').next().unwrap().to_owned()
}

fn cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

fn first_slot_link(html: &str) -> String {
    let at = html.find("class=\"slot\" href=\"").unwrap() + 19;
    unescape(html[at..].split('"').next().unwrap())
}

/// Undoes the HTML escaping of an attribute value.
fn unescape(value: &str) -> String {
    value
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#47;", "/")
        .replace("&#x2f;", "/")
}

async fn book_through_the_form(app: &TestApp, email: &str) -> String {
    let page = app
        .client
        .get(app.url("/book?tz=Europe/Paris"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    let details = app
        .client
        .get(app.url(&first_slot_link(&html)))
        .send()
        .await
        .unwrap();
    let cookie = cookie(&details);
    let html = details.text().await.unwrap();
    let token = form_token(&html);
    let field = |name: &str| {
        let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
        unescape(html[at..].split('"').next().unwrap())
    };
    let mut form = vec![
        ("form_token", token),
        ("practitioner", field("practitioner")),
        ("type", field("type")),
        ("start", field("start")),
        ("timezone", field("timezone")),
        ("name", "Sam Client".to_owned()),
        ("email", "not an email".to_owned()),
        ("help_with", "bloating".to_owned()),
        ("answer.main_concern", "Reflux".to_owned()),
        ("website", String::new()),
    ];
    // A mistake first: the page comes back with everything typed kept.
    let r = app
        .client
        .post(app.url("/book"))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let again = r.text().await.unwrap();
    assert!(again.contains("value=\"Sam Client\""));
    assert!(again.contains("bloating</textarea>"));
    assert!(again.contains("<option value=\"Reflux\" selected>Reflux</option>"));
    assert!(again.contains("enter an email address"));
    assert!(again.contains("we need your consent"));
    form[6].1 = email.to_owned();
    form.push(("consent", "yes".to_owned()));
    let r = app
        .client
        .post(app.url("/book"))
        .header("cookie", &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/manage/"));
    let confirmation = app.client.get(app.url(&location)).send().await.unwrap();
    let html = confirmation.text().await.unwrap();
    assert!(html.contains("You're booked"));
    location.split('?').next().unwrap().to_owned()
}

async fn the_form_flow_books_and_the_outbox_holds_a_valid_invite(app: TestApp) {
    book_through_the_form(&app, "form@example.com").await;
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 1);
    assert_eq!(app.drain_jobs().await, 2);
    let sent = app.sent();
    let to_client = sent
        .iter()
        .find(|m| m.contains("To: \"Sam Client\" <form@example.com>"))
        .unwrap();
    assert!(to_client.contains("method=REQUEST"));
    let invite = parse_invite(&invite_in(to_client)).unwrap();
    assert_eq!(invite.summary, "Discovery call with Test Practice");
    assert_eq!(invite.sequence, 0);
    assert!(
        !to_client.to_lowercase().contains("bloating"),
        "no health details in email"
    );
    assert!(!to_client.contains("Reflux"));
    let to_staff = sent
        .iter()
        .find(|m| m.contains("practice.example"))
        .unwrap();
    assert!(!to_staff.contains("bloating"));
}

async fn cancelling_sends_a_cancel_invite_with_the_same_uid_and_a_higher_sequence(app: TestApp) {
    let manage = book_through_the_form(&app, "cancel@example.com").await;
    app.drain_jobs().await;
    let page = app.client.get(app.url(&manage)).send().await.unwrap();
    let cookie = cookie(&page);
    let token = form_token(&page.text().await.unwrap());
    let r = app
        .client
        .post(app.url(&format!("{manage}/cancel")))
        .header("cookie", cookie)
        .form(&[("form_token", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let html = app
        .client
        .get(app.url(&manage))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("This call is cancelled"));
    app.drain_jobs().await;
    let sent = app.sent();
    let invites: Vec<_> = sent
        .iter()
        .filter(|m| m.contains("BEGIN:VCALENDAR"))
        .map(|m| parse_invite(&invite_in(m)).unwrap())
        .collect();
    assert_eq!(invites.len(), 2);
    assert_eq!(invites[0].uid, invites[1].uid);
    assert_eq!(invites[1].method, villi_domain::calendar::Method::Cancel);
    assert!(invites[1].sequence > invites[0].sequence);
}

async fn two_workers_send_each_email_once(app: TestApp) {
    let slots = app.slots("hannah", "discovery", 5).await;
    for (i, s) in slots.iter().step_by(4).take(6).enumerate() {
        let (status, _) = app
            .book(
                "hannah",
                "discovery",
                s["start"].as_str().unwrap(),
                &format!("w{i}@example.com"),
            )
            .await;
        if status != 201 {
            // The email cap is per address; each booking uses its own.
            panic!("booking {i} failed: {status}");
        }
    }
    let a = app.state.clone();
    let b = app.state.clone();
    let run = |state: villi_web::AppState, name: &'static str| async move {
        let mut n = 0;
        while villi_web::worker::run_one(&state, name).await.unwrap() {
            n += 1;
        }
        n
    };
    let (x, y) = tokio::join!(run(a, "one"), run(b, "two"));
    assert_eq!(x + y, 12);
    assert_eq!(app.sent().len(), 12);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    for path in ["/", "/book", "/healthz", "/nope", "/api/v1/practitioners"] {
        let r = app.client.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("object-src 'none'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let r = app
        .client
        .post(app.url("/book"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = app
        .client
        .post(app.url("/api/v1/bookings"))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 0);
}

#[tokio::test]
async fn a_form_without_its_token_is_shown_again_not_booked() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let slots = app.slots("hannah", "discovery", 5).await;
    let r = app
        .client
        .post(app.url("/book"))
        .form(&[
            ("practitioner", "hannah"),
            ("type", "discovery"),
            ("start", slots[0]["start"].as_str().unwrap()),
            ("name", "Sam"),
            ("email", "sam@example.com"),
            ("consent", "yes"),
            ("answer.main_concern", "Reflux"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("value=\"Sam\""));
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 0);
}

#[tokio::test]
async fn booking_posts_beyond_the_limit_get_429() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.rate_limits.booking_posts = 3)
        .await
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            app.post_json("/api/v1/bookings", &serde_json::json!({}))
                .await
                .0,
        );
    }
    assert_eq!(statuses, [422, 422, 422, 429, 429]);
}

#[tokio::test]
async fn a_filled_honeypot_books_nothing() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let slots = app.slots("hannah", "discovery", 5).await;
    let mut body = common::booking_body(
        "hannah",
        "discovery",
        slots[0]["start"].as_str().unwrap(),
        "bot@example.com",
    );
    body["website"] = serde_json::json!("http://spam.example");
    let (status, _) = app.post_json("/api/v1/bookings", &body).await;
    assert_eq!(status, 422);
    assert_eq!(app.count("SELECT count(*) FROM bookings").await, 0);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn the_api_lists_practitioners_and_rejects_bad_availability_queries() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, body) = app.get_json("/api/v1/practitioners").await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().unwrap().len(), 2);
    assert_eq!(body[0]["slug"], "ada");
    assert_eq!(body[0]["time_zone"], "America/New_York");
    for (query, field) in [
        ("from=2030-01-01&to=2029-01-01", "to"),
        ("from=nope&to=2030-01-01", "from"),
        ("from=2030-01-01&to=2030-06-01", "to"),
        ("from=2030-01-01&to=2030-01-02&tz=Nowhere/Land", "tz"),
        (
            "from=2030-01-01&to=2030-01-02&practitioner=nobody",
            "practitioner",
        ),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/availability?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/v1/practitioners", "get"),
        ("/api/v1/availability", "get"),
        ("/api/v1/bookings", "post"),
        ("/api/v1/bookings/{id}/cancel", "post"),
        ("/api/v1/bookings/{id}/reschedule", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}

#[tokio::test]
async fn the_gut_health_page_shows_the_four_groups_with_evidence_and_sources() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let r = app.client.get(app.url("/gut-health")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    let lower = html.to_lowercase();
    for group in ["medication", "diet", "stress", "environment"] {
        assert!(lower.contains(group), "{group}");
    }
    assert!(html.contains("Evidence: "));
    assert!(html.contains("id=\"sources\""));
    assert!(html.matches("<li id=\"src-").count() >= 5);
    for forbidden in ["stop taking", "discontinue"] {
        assert!(!lower.contains(forbidden), "{forbidden}");
    }
}

#[tokio::test]
async fn reminders_go_out_when_due_and_not_after_a_cancellation() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let slots = app.slots("hannah", "discovery", 5).await;
    let later: Vec<_> = slots
        .iter()
        .filter(|s| {
            let t: jiff::Timestamp = s["start"].as_str().unwrap().parse().unwrap();
            t.duration_since(jiff::Timestamp::now()) > jiff::SignedDuration::from_hours(30)
        })
        .step_by(4)
        .take(2)
        .collect();
    let (_, kept) = app
        .book(
            "hannah",
            "discovery",
            later[0]["start"].as_str().unwrap(),
            "keep@example.com",
        )
        .await;
    let (_, dropped) = app
        .book(
            "hannah",
            "discovery",
            later[1]["start"].as_str().unwrap(),
            "drop@example.com",
        )
        .await;
    let url = dropped["manage_url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap();
    let id = dropped["id"].as_str().unwrap();
    let (status, _) = app
        .post_json(
            &format!("/api/v1/bookings/{id}/cancel"),
            &serde_json::json!({"token": token}),
        )
        .await;
    assert_eq!(status, 200);
    app.drain_jobs().await;
    let before = app.sent().len();
    // Two days on, both reminders of the kept booking are due; none of the cancelled one.
    let later_on = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    while villi_web::worker::run_one_at(&app.state, "test", later_on)
        .await
        .unwrap()
    {}
    let sent = app.sent();
    let reminders: Vec<_> = sent[before..]
        .iter()
        .filter(|m| m.contains("Subject: Reminder"))
        .collect();
    assert_eq!(reminders.len(), 2, "{:?}", &sent[before..]);
    assert!(reminders.iter().all(|m| m.contains("keep@example.com")));
    let kept_id = kept["id"].as_str().unwrap();
    assert!(
        app.state
            .store
            .pending_jobs(kept_id)
            .await
            .unwrap()
            .is_empty()
    );
}
