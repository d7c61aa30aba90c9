//! What the server keeps in memory (the practice's settings, recent
//! availability answers) never outlives a change: changes made through this
//! server show at once, changes made elsewhere (the command line, another
//! server) within a second.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::TestApp;
use villi_store::Store;

on_both_backends!(
    hours_changed_through_this_server_show_at_once,
    hours_changed_elsewhere_show_within_a_second,
    a_booking_made_elsewhere_stops_being_offered_within_a_second,
);

async fn hannah_id(store: &Store) -> String {
    store
        .practitioner_by_slug("hannah")
        .await
        .unwrap()
        .expect("hannah is seeded")
        .id
}

async fn hours_changed_through_this_server_show_at_once(app: TestApp) {
    assert!(!app.slots("hannah", "discovery", 5).await.is_empty());
    let id = hannah_id(app.db.store()).await;
    app.db.store().replace_weekly_rules(&id, &[]).await.unwrap();
    assert!(app.slots("hannah", "discovery", 5).await.is_empty());
}

async fn hours_changed_elsewhere_show_within_a_second(app: TestApp) {
    assert!(!app.slots("hannah", "discovery", 5).await.is_empty());
    let elsewhere = Store::connect(app.db.url()).await.unwrap();
    let id = hannah_id(&elsewhere).await;
    elsewhere.replace_weekly_rules(&id, &[]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(app.slots("hannah", "discovery", 5).await.is_empty());
    elsewhere.close().await;
}

async fn a_booking_made_elsewhere_stops_being_offered_within_a_second(app: TestApp) {
    let offered = app.slots("hannah", "discovery", 5).await;
    let first = offered[0]["start"].as_str().unwrap().to_owned();
    // Another server on the same database takes the first slot.
    let other = TestApp::spawn_on(app.db.url()).await;
    let (status, body) = other
        .book("hannah", "discovery", &first, "elsewhere@example.org")
        .await;
    assert_eq!(status, 201, "{body}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let now = app.slots("hannah", "discovery", 5).await;
    assert!(now.iter().all(|s| s["start"] != first.as_str()));
    // And this server refuses it whatever it showed: the database decides.
    let (status, _) = app
        .book("hannah", "discovery", &first, "late@example.org")
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn availability_is_compressed_for_clients_that_accept_gzip_and_says_so() {
    use std::io::Read;
    let app = TestApp::spawn(villi_store::Backend::Sqlite).await.unwrap();
    let from = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let path =
        format!("/api/v1/availability?practitioner=any&type=discovery&from={from}&to={from}");
    for _ in 0..2 {
        // The first answer is computed, the second one kept: both alike.
        let plain = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(plain.headers().get("content-encoding"), None);
        assert_eq!(plain.headers()["vary"], "accept-encoding");
        let plain = plain.bytes().await.unwrap();
        let packed = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .unwrap();
        assert_eq!(packed.status(), 200);
        assert_eq!(packed.headers()["content-encoding"], "gzip");
        let packed = packed.bytes().await.unwrap();
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, plain);
        let body: serde_json::Value = serde_json::from_slice(&unpacked).unwrap();
        assert!(body["slots"].is_array());
    }
}
