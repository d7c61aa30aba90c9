//! The demo practice: two practitioners in different zones, two appointment
//! types, weekday hours and a few pre-call questions. Creating it twice
//! changes nothing.

use jiff::civil::Weekday;
use villi_domain::booking::{AppointmentType, WeeklyRule, Window};
use villi_store::{NewPractitioner, Question, QuestionKind, Store};

pub const PRACTICE_NAME: &str = "Riverside Gut Health (demo)";

/// The demo practice's appointment types.
pub fn appointment_types() -> Vec<AppointmentType> {
    let mut discovery = AppointmentType::new("discovery", "Free 15-minute discovery call", 15);
    discovery.buffer_after_min = 5;
    discovery.daily_cap = Some(8);
    let mut consultation =
        AppointmentType::new("consultation", "Initial consultation (60 min)", 60);
    consultation.buffer_after_min = 15;
    consultation.price_label = "£95".to_owned();
    consultation.slot_interval_min = 30;
    vec![discovery, consultation]
}

fn practitioners() -> Vec<NewPractitioner> {
    vec![
        NewPractitioner {
            slug: "ada-okafor".to_owned(),
            name: "Ada Okafor, RDN".to_owned(),
            email: "ada@practice.example".to_owned(),
            time_zone: "America/New_York".to_owned(),
            bio: "Registered dietitian nutritionist working with IBS, reflux and the gut effects of long-term medications.".to_owned(),
        },
        NewPractitioner {
            slug: "hannah-price".to_owned(),
            name: "Hannah Price, RD".to_owned(),
            email: "hannah@practice.example".to_owned(),
            time_zone: "Europe/London".to_owned(),
            bio: "Registered dietitian focused on stool-test interpretation, plant diversity and stress and the gut.".to_owned(),
        },
    ]
}

fn questions() -> Vec<Question> {
    vec![
        Question {
            key: "main_concern".to_owned(),
            label: "What bothers you most at the moment?".to_owned(),
            kind: QuestionKind::Choice {
                options: vec![
                    "Bloating or gas".to_owned(),
                    "Constipation".to_owned(),
                    "Diarrhoea or urgency".to_owned(),
                    "Reflux".to_owned(),
                    "Something else".to_owned(),
                ],
            },
            required: true,
        },
        Question {
            key: "previous_testing".to_owned(),
            label: "Any gut testing done before? (e.g. a stool analysis)".to_owned(),
            kind: QuestionKind::ShortText,
            required: false,
        },
    ]
}

/// Weekday hours: 09:00-12:00 and 13:00-17:00, Monday to Friday.
pub fn weekday_hours() -> anyhow::Result<Vec<WeeklyRule>> {
    let windows = [Window::parse("09:00-12:00")?, Window::parse("13:00-17:00")?];
    let days = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    Ok(days
        .iter()
        .flat_map(|d| {
            windows.iter().map(|w| WeeklyRule {
                weekday: *d,
                window: *w,
                appointment_type: None,
            })
        })
        .collect())
}

pub async fn create(store: &Store) -> anyhow::Result<()> {
    for kind in appointment_types() {
        if store.appointment_type(&kind.slug).await?.is_none() {
            store.upsert_appointment_type(&kind).await?;
        }
    }
    if store.questions().await?.is_empty() {
        store.replace_questions(&questions()).await?;
    }
    for p in practitioners() {
        if store.practitioner_by_slug(&p.slug).await?.is_some() {
            continue;
        }
        let added = store.add_practitioner(&p).await?;
        store
            .replace_weekly_rules(&added.id, &weekday_hours()?)
            .await?;
        tracing::info!(slug = %added.slug, "demo practitioner created");
    }
    Ok(())
}
