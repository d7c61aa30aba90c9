//! A real villi server on 127.0.0.1:0 over a fresh database, with a seeded
//! practice and typed helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use jiff::civil::Weekday;
use serde_json::{Value, json};
use villi_domain::booking::{AppointmentType, WeeklyRule, Window};
use villi_store::test_support::TestDb;
use villi_store::{Backend, NewPractitioner, Question, QuestionKind};
use villi_web::{AppState, Mailer, Settings};

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub state: AppState,
    pub outbox: PathBuf,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.outbox);
    }
}

/// Runs `$body` (an async fn taking a `TestApp`) against SQLite and
/// PostgreSQL, as two tests.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let app = $crate::common::TestApp::spawn(villi_store::Backend::Sqlite).await.unwrap();
                super::$name(app).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let Some(app) = $crate::common::TestApp::spawn(villi_store::Backend::Postgres).await else { return };
                super::$name(app).await;
            })*
        }
    };
}

pub fn discovery() -> AppointmentType {
    let mut t = AppointmentType::new("discovery", "Free 15-minute discovery call", 15);
    t.buffer_after_min = 5;
    t
}

pub fn consultation() -> AppointmentType {
    let mut t = AppointmentType::new("consultation", "Consultation", 60);
    t.slot_interval_min = 30;
    t.price_label = "£95".into();
    t
}

fn every_day(window: &str) -> Vec<WeeklyRule> {
    let w = Window::parse(window).unwrap();
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .into_iter()
    .map(|weekday| WeeklyRule {
        weekday,
        window: w,
        appointment_type: None,
    })
    .collect()
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A server whose settings `tweak` may change before it starts.
    pub async fn spawn_with(
        backend: Backend,
        tweak: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        seed(&db).await;
        Some(Self::serve(db, tweak).await)
    }

    /// Another server on the database at `url`, as a second machine of the
    /// same practice would run; the database outlives it.
    pub async fn spawn_on(url: &str) -> TestApp {
        Self::serve(TestDb::attach(url).await, |_| {}).await
    }

    async fn serve(db: TestDb, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let outbox =
            std::env::temp_dir().join(format!("villi-outbox-{}", uuid::Uuid::new_v4().simple()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut settings = Settings::local(&base);
        settings.practice_name = "Test Practice".into();
        settings.rate_limits.booking_posts = 10_000;
        tweak(&mut settings);
        let state = AppState::new(
            db.store().clone(),
            settings,
            Mailer::outbox(&outbox).unwrap(),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        tokio::spawn(async move {
            villi_web::serve(listener, serving, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base,
            db,
            state,
            outbox,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            stop: Some(stop),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Free slots of `practitioner` for `kind` over the next `days` days (UTC).
    pub async fn slots(&self, practitioner: &str, kind: &str, days: i64) -> Vec<Value> {
        let from = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        let to = from.checked_add(jiff::Span::new().days(days)).unwrap();
        let (status, body) = self
            .get_json(&format!(
                "/api/v1/availability?practitioner={practitioner}&type={kind}&from={from}&to={to}&tz=UTC"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        body["slots"].as_array().unwrap().clone()
    }

    pub async fn book(
        &self,
        practitioner: &str,
        kind: &str,
        start: &str,
        email: &str,
    ) -> (u16, Value) {
        self.post_json(
            "/api/v1/bookings",
            &booking_body(practitioner, kind, start, email),
        )
        .await
    }

    /// Runs the worker until no job is due.
    pub async fn drain_jobs(&self) -> usize {
        let mut n = 0;
        while villi_web::worker::run_one(&self.state, "test-worker")
            .await
            .unwrap()
        {
            n += 1;
        }
        n
    }

    /// The `.eml` files in the outbox, oldest first.
    pub fn sent(&self) -> Vec<String> {
        let Ok(dir) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        let mut files: Vec<_> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect()
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        self.db.scalar(sql).await
    }
}

pub fn booking_body(practitioner: &str, kind: &str, start: &str, email: &str) -> Value {
    json!({
        "practitioner": practitioner,
        "type": kind,
        "start": start,
        "name": "Sam Client",
        "email": email,
        "timezone": "Europe/Paris",
        "consent": true,
        "help_with": "bloating after meals",
        "answers": {"main_concern": "Bloating or gas"},
    })
}

async fn seed(db: &TestDb) {
    let store = db.store();
    store.upsert_appointment_type(&discovery()).await.unwrap();
    store
        .upsert_appointment_type(&consultation())
        .await
        .unwrap();
    store
        .replace_questions(&[Question {
            key: "main_concern".into(),
            label: "What bothers you most?".into(),
            kind: QuestionKind::Choice {
                options: vec!["Bloating or gas".into(), "Reflux".into()],
            },
            required: true,
        }])
        .await
        .unwrap();
    for (slug, zone) in [("ada", "America/New_York"), ("hannah", "Europe/London")] {
        let p = store
            .add_practitioner(&NewPractitioner {
                slug: slug.into(),
                name: format!("{slug} practitioner"),
                email: format!("{slug}@practice.example"),
                time_zone: zone.into(),
                bio: "Dietitian.".into(),
            })
            .await
            .unwrap();
        store
            .replace_weekly_rules(&p.id, &every_day("08:00-20:00"))
            .await
            .unwrap();
    }
}

/// The first iCalendar object in an `.eml`, with its quoted-printable
/// transfer encoding undone.
pub fn invite_in(eml: &str) -> String {
    let start = eml.find("BEGIN:VCALENDAR").expect("an invite");
    let end = eml[start..].find("END:VCALENDAR").unwrap() + start + "END:VCALENDAR".len();
    let encoded = eml[start..end].replace("=\r\n", "");
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&encoded[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let mut ics = String::from_utf8(out).unwrap();
    ics.push_str("\r\n");
    ics
}
