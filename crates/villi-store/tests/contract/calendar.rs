//! A booking checked against the practitioner's calendar inside its own
//! transaction: hours, grid and the daily cap hold even under a race.

use std::sync::Arc;

use jiff::civil::Weekday;
use tokio::sync::Barrier;
use villi_domain::booking::{AppointmentType, SlotRejection, WeeklyRule, Window};
use villi_store::test_support::TestDb;
use villi_store::{CalendarCheck, CreateBooking, NewBooking, Reschedule, StoreError};

use crate::fixtures::{at, booking, create, minutes, now, practice};

contract!(
    a_start_the_calendar_does_not_offer_is_refused_with_the_reason,
    concurrent_bookings_never_pass_a_daily_cap,
    a_move_is_checked_against_the_calendar_without_its_own_old_time,
);

/// Mondays 09:00-12:00 London time (08:00-11:00 UTC in June).
fn mondays(kind: &AppointmentType) -> CalendarCheck {
    CalendarCheck {
        time_zone: "Europe/London".to_owned(),
        kind: kind.clone(),
        rules: vec![WeeklyRule {
            weekday: Weekday::Monday,
            window: Window::parse("09:00-12:00").unwrap(),
            appointment_type: None,
        }],
        overrides: Vec::new(),
    }
}

fn checked(new: NewBooking, kind: &AppointmentType) -> CreateBooking {
    CreateBooking {
        calendar: Some(mondays(kind)),
        ..create(new)
    }
}

async fn a_start_the_calendar_does_not_offer_is_refused_with_the_reason(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let discovery = AppointmentType::new("discovery", "Discovery call", 15);
    let cases = [
        (at(11, 0), SlotRejection::OutsideAvailability),
        (at(8, 7), SlotRejection::OffGrid),
    ];
    for (start, why) in cases {
        let refused = store
            .create_booking(&checked(booking(&ana, start, 15, 0), &discovery))
            .await;
        assert!(
            matches!(refused, Err(StoreError::SlotRejected(r)) if r == why),
            "{start}: {refused:?}"
        );
    }
    store
        .create_booking(&checked(booking(&ana, at(10, 45), 15, 0), &discovery))
        .await
        .unwrap();
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 1);
}

async fn concurrent_bookings_never_pass_a_daily_cap(db: &TestDb) {
    let store = db.store().clone();
    let ana = practice(&store).await;
    let mut discovery = AppointmentType::new("discovery", "Discovery call", 15);
    discovery.daily_cap = Some(2);
    // Eight visitors, eight different free times, one day with room for two.
    let requests: Vec<_> = (0..8)
        .map(|i| {
            checked(
                booking(&ana, at(8, 0) + crate::fixtures::minutes(15 * i), 15, 0),
                &discovery,
            )
        })
        .collect();
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let (store, barrier) = (store.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                store.create_booking(&request).await.map(|_| ())
            })
        })
        .collect();
    let mut booked = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => booked += 1,
            Err(StoreError::SlotRejected(SlotRejection::DailyCapReached)) => {}
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!(booked, 2);
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 2);
}

async fn a_move_is_checked_against_the_calendar_without_its_own_old_time(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let mut discovery = AppointmentType::new("discovery", "Discovery call", 15);
    discovery.daily_cap = Some(1);
    let first = booking(&ana, at(8, 0), 15, 0);
    store
        .create_booking(&checked(first.clone(), &discovery))
        .await
        .unwrap();
    let move_to = |start: jiff::Timestamp| Reschedule {
        id: first.id.clone(),
        start,
        end: start + minutes(15),
        block: villi_domain::booking::Block {
            start,
            end: start + minutes(15),
        },
        token_expires_at: start,
        now: now(),
        jobs: Vec::new(),
        calendar: Some(mondays(&discovery)),
    };
    // Outside the hours: refused with the reason, the booking stays put.
    let refused = store.reschedule_booking(&move_to(at(11, 0))).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::SlotRejected(SlotRejection::OutsideAvailability))
        ),
        "{refused:?}"
    );
    // The day's one place is the booking's own: moving within the day is fine.
    let moved = store.reschedule_booking(&move_to(at(9, 30))).await.unwrap();
    assert_eq!(moved.start, at(9, 30));
}
