//! Connection basics, practitioners, appointment types and questions.

use villi_domain::booking::AppointmentType;
use villi_store::test_support::TestDb;
use villi_store::{NewPractitioner, Question, QuestionKind, StoreError};

use crate::fixtures::{now, practitioner};

contract!(
    a_store_names_its_backend_answers_ping_and_migrates_twice_harmlessly,
    an_added_practitioner_is_found_by_id_and_by_slug,
    practitioners_are_listed_by_name,
    a_taken_slug_is_a_conflict_named_like_the_postgresql_constraint,
    an_unknown_practitioner_is_none,
    an_appointment_type_is_inserted_then_replaced_by_its_slug,
    questions_are_replaced_as_a_whole_and_keep_their_order,
);

async fn a_store_names_its_backend_answers_ping_and_migrates_twice_harmlessly(db: &TestDb) {
    let store = db.store();
    assert_eq!(store.backend(), db.backend());
    store.ping().await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
}

async fn an_added_practitioner_is_found_by_id_and_by_slug(db: &TestDb) {
    let store = db.store();
    let added = store
        .add_practitioner(&NewPractitioner {
            slug: "ana".to_owned(),
            name: "Ana Costa".to_owned(),
            email: "ana@practice.example".to_owned(),
            time_zone: "Europe/Lisbon".to_owned(),
            bio: "Registered dietitian.".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(
        uuid::Uuid::parse_str(&added.id).unwrap().get_version_num(),
        7
    );
    assert_eq!(added.slug, "ana");
    assert_eq!(added.time_zone, "Europe/Lisbon");
    assert_eq!(added.bio, "Registered dietitian.");
    assert!(added.created_at > now() - jiff::SignedDuration::from_hours(24 * 365 * 10));
    assert_eq!(
        store.practitioner(&added.id).await.unwrap(),
        Some(added.clone())
    );
    assert_eq!(
        store.practitioner_by_slug("ana").await.unwrap(),
        Some(added)
    );
}

async fn practitioners_are_listed_by_name(db: &TestDb) {
    let store = db.store();
    let zoe = practitioner(store, "zoe").await;
    let bea = practitioner(store, "bea").await;
    let names: Vec<String> = store
        .practitioners()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(names, [bea.id, zoe.id]);
}

async fn a_taken_slug_is_a_conflict_named_like_the_postgresql_constraint(db: &TestDb) {
    let store = db.store();
    practitioner(store, "ana").await;
    let again = store
        .add_practitioner(&NewPractitioner {
            slug: "ana".to_owned(),
            name: "Another Ana".to_owned(),
            email: "other@practice.example".to_owned(),
            time_zone: "UTC".to_owned(),
            bio: String::new(),
        })
        .await;
    match again {
        Err(StoreError::Conflict { constraint }) => {
            assert_eq!(constraint, "practitioners_slug_key")
        }
        other => panic!("expected a slug conflict, got {other:?}"),
    }
    assert_eq!(store.practitioners().await.unwrap().len(), 1);
}

async fn an_unknown_practitioner_is_none(db: &TestDb) {
    let store = db.store();
    assert_eq!(store.practitioner("no-such-id").await.unwrap(), None);
    assert_eq!(store.practitioner_by_slug("nobody").await.unwrap(), None);
}

async fn an_appointment_type_is_inserted_then_replaced_by_its_slug(db: &TestDb) {
    let store = db.store();
    let mut consultation = AppointmentType::new("consultation", "Consultation", 60);
    consultation.buffer_before_min = 10;
    consultation.daily_cap = Some(3);
    consultation.public = false;
    consultation.price_label = "£95".to_owned();
    store.upsert_appointment_type(&consultation).await.unwrap();
    store
        .upsert_appointment_type(&AppointmentType::new("discovery", "Discovery call", 15))
        .await
        .unwrap();
    assert_eq!(
        store.appointment_type("consultation").await.unwrap(),
        Some(consultation.clone())
    );

    consultation.name = "Full consultation".to_owned();
    consultation.daily_cap = None;
    consultation.slot_interval_min = 30;
    store.upsert_appointment_type(&consultation).await.unwrap();
    let all = store.appointment_types().await.unwrap();
    let slugs: Vec<&str> = all.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["consultation", "discovery"]);
    assert_eq!(all[0], consultation);
    assert_eq!(store.appointment_type("massage").await.unwrap(), None);
}

async fn questions_are_replaced_as_a_whole_and_keep_their_order(db: &TestDb) {
    let store = db.store();
    assert!(store.questions().await.unwrap().is_empty());
    let first = vec![
        Question {
            key: "goal".to_owned(),
            label: "What would you like help with?".to_owned(),
            kind: QuestionKind::ShortText,
            required: true,
        },
        Question {
            key: "duration".to_owned(),
            label: "How long has this been going on?".to_owned(),
            kind: QuestionKind::Choice {
                options: vec!["Weeks".to_owned(), "Months".to_owned(), "Years".to_owned()],
            },
            required: false,
        },
    ];
    store.replace_questions(&first).await.unwrap();
    assert_eq!(store.questions().await.unwrap(), first);

    let second = vec![first[1].clone(), first[0].clone()];
    store.replace_questions(&second).await.unwrap();
    assert_eq!(store.questions().await.unwrap(), second);
}
