//! Weekly rules and date overrides.

use jiff::civil::{Weekday, date};
use villi_domain::booking::{DateOverride, OverrideKind, WeeklyRule, Window};
use villi_store::StoreError;
use villi_store::test_support::TestDb;

use crate::fixtures::practitioner;

contract!(
    weekly_rules_are_replaced_as_a_whole_and_come_back_in_week_order,
    rules_and_overrides_for_an_unknown_practitioner_are_not_found,
    overrides_come_back_for_an_inclusive_date_range,
);

fn rule(weekday: Weekday, window: &str, kind: Option<&str>) -> WeeklyRule {
    WeeklyRule {
        weekday,
        window: Window::parse(window).unwrap(),
        appointment_type: kind.map(str::to_owned),
    }
}

async fn weekly_rules_are_replaced_as_a_whole_and_come_back_in_week_order(db: &TestDb) {
    let store = db.store();
    let ana = practitioner(store, "ana").await;
    let other = practitioner(store, "bea").await;
    let rules = vec![
        rule(Weekday::Sunday, "10:00-12:00", None),
        rule(Weekday::Monday, "14:00-17:30", Some("discovery")),
        rule(Weekday::Monday, "09:00-12:00", None),
    ];
    store.replace_weekly_rules(&ana.id, &rules).await.unwrap();
    store
        .replace_weekly_rules(&other.id, &[rule(Weekday::Friday, "08:00-09:00", None)])
        .await
        .unwrap();
    assert_eq!(
        store.weekly_rules(&ana.id).await.unwrap(),
        [rules[2].clone(), rules[1].clone(), rules[0].clone()]
    );

    let fewer = vec![rule(Weekday::Wednesday, "09:15-09:45", None)];
    store.replace_weekly_rules(&ana.id, &fewer).await.unwrap();
    assert_eq!(store.weekly_rules(&ana.id).await.unwrap(), fewer);
    store.replace_weekly_rules(&ana.id, &[]).await.unwrap();
    assert!(store.weekly_rules(&ana.id).await.unwrap().is_empty());
    assert_eq!(store.weekly_rules(&other.id).await.unwrap().len(), 1);
}

async fn rules_and_overrides_for_an_unknown_practitioner_are_not_found(db: &TestDb) {
    let store = db.store();
    let rules = store.replace_weekly_rules("nobody", &[]).await;
    assert!(matches!(rules, Err(StoreError::NotFound)), "{rules:?}");
    let day_off = DateOverride {
        date: date(2030, 6, 3),
        kind: OverrideKind::DayOff,
    };
    let added = store.add_override("nobody", &day_off).await;
    assert!(matches!(added, Err(StoreError::NotFound)), "{added:?}");
}

async fn overrides_come_back_for_an_inclusive_date_range(db: &TestDb) {
    let store = db.store();
    let ana = practitioner(store, "ana").await;
    let extra = DateOverride {
        date: date(2030, 6, 3),
        kind: OverrideKind::ExtraHours {
            window: Window::parse("18:00-20:00").unwrap(),
        },
    };
    let time_off = DateOverride {
        date: date(2030, 6, 5),
        kind: OverrideKind::TimeOff {
            window: Window::parse("09:00-10:30").unwrap(),
        },
    };
    let day_off = DateOverride {
        date: date(2030, 6, 10),
        kind: OverrideKind::DayOff,
    };
    let earlier = DateOverride {
        date: date(2030, 6, 2),
        kind: OverrideKind::DayOff,
    };
    for o in [&day_off, &extra, &time_off, &earlier] {
        store.add_override(&ana.id, o).await.unwrap();
    }
    let found = store
        .overrides(&ana.id, date(2030, 6, 3), date(2030, 6, 10))
        .await
        .unwrap();
    assert_eq!(found, [extra, time_off, day_off]);
    let other = practitioner(store, "bea").await;
    assert!(
        store
            .overrides(&other.id, date(2030, 1, 1), date(2030, 12, 31))
            .await
            .unwrap()
            .is_empty()
    );
}
