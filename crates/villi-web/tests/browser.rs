//! A visitor books and cancels a discovery call in headless Chromium, driven
//! through chromedriver. Skips (with the reason) where Chromium is missing,
//! unless VILLI_REQUIRE_ALL=1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::TestApp;
use fantoccini::{ClientBuilder, Locator};
use villi_store::Backend;

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(binary: &str) -> Option<String> {
    std::env::var("PATH")
        .ok()?
        .split(':')
        .map(|dir| format!("{dir}/{binary}"))
        .find(|p| std::path::Path::new(p).exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_driver() -> Option<(Driver, String)> {
    let chromedriver = find("chromedriver");
    let chromium = find("chromium")
        .or_else(|| find("chromium-browser"))
        .or_else(|| find("google-chrome"));
    let (Some(driver), Some(_)) = (chromedriver, chromium.clone()) else {
        let required = std::env::var("VILLI_REQUIRE_ALL").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "chromium and chromedriver are required (VILLI_REQUIRE_ALL=1)"
        );
        println!("skipped: chromium or chromedriver not found on PATH");
        return None;
    };
    let port = free_port();
    let child = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some((child, url));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_books_the_first_free_call_and_cancels_it_from_the_link() {
    let Some((_driver, driver_url)) = start_driver().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let profile =
        std::env::temp_dir().join(format!("villi-chrome-{}", uuid::Uuid::new_v4().simple()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({"args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-quic", "--no-first-run", "--window-size=390,844",
            format!("--user-data-dir={}", profile.display()),
        ]}),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver_url)
        .await
        .expect("a chromium session");
    let result = visit(&browser, &app).await;
    let _ = browser.close().await;
    let _ = std::fs::remove_dir_all(&profile);
    result.unwrap();
}

async fn visit(b: &fantoccini::Client, app: &TestApp) -> Result<(), fantoccini::error::CmdError> {
    let wait = Duration::from_secs(20);
    b.goto(&app.url("/")).await?;
    b.find(Locator::Id("book-discovery")).await?.click().await?;
    // The page may reload once to show times in the browser's own zone.
    let slot = b
        .wait()
        .at_most(wait)
        .for_element(Locator::Css("a.slot"))
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let slot = match b.find(Locator::Css("a.slot")).await {
        Ok(s) => s,
        Err(_) => slot,
    };
    let start = slot.attr("data-start").await?.expect("data-start");
    let start: jiff::Timestamp = start.parse().unwrap();
    let offers_before = offers_at(app, start).await;
    slot.click().await?;
    b.wait()
        .at_most(wait)
        .for_element(Locator::Id("booking-form"))
        .await?;
    b.find(Locator::Id("name"))
        .await?
        .send_keys("Browser Visitor")
        .await?;
    b.find(Locator::Id("email"))
        .await?
        .send_keys("visitor@example.com")
        .await?;
    b.find(Locator::Css("select[name='answer.main_concern']"))
        .await?
        .select_by_value("Bloating or gas")
        .await?;
    b.find(Locator::Id("consent")).await?.click().await?;
    b.find(Locator::Id("book-button")).await?.click().await?;
    b.wait()
        .at_most(wait)
        .for_element(Locator::Id("confirmation"))
        .await?;
    let manage_url = b.current_url().await?;

    // The outbox holds the confirmation with a valid invite.
    assert_eq!(app.drain_jobs().await, 2);
    let sent = app.sent();
    let mail = sent
        .iter()
        .find(|m| m.contains("visitor@example.com"))
        .expect("confirmation");
    let invite = villi_domain::calendar::parse_invite(&common::invite_in(mail)).unwrap();
    assert_eq!(invite.start, start);
    assert_eq!(offers_at(app, start).await, offers_before - 1);

    // The manage link cancels it, and the slot is offered again.
    b.goto(manage_url.as_str()).await?;
    b.find(Locator::Id("cancel-button")).await?.click().await?;
    b.wait()
        .at_most(wait)
        .for_element(Locator::Id("cancelled"))
        .await?;
    assert_eq!(offers_at(app, start).await, offers_before);
    assert_eq!(
        app.count("SELECT count(*) FROM bookings WHERE status = 'cancelled'")
            .await,
        1
    );
    Ok(())
}

/// How many practitioners offer a discovery call at `start`.
async fn offers_at(app: &TestApp, start: jiff::Timestamp) -> usize {
    app.slots("any", "discovery", 5)
        .await
        .iter()
        .filter(|s| {
            s["start"]
                .as_str()
                .and_then(|x| x.parse::<jiff::Timestamp>().ok())
                == Some(start)
        })
        .count()
}
