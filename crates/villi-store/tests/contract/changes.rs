//! Cancelling and moving bookings, the audit trail, and the database's own
//! refusal of overlaps that bypass the store.

use villi_domain::booking::Block;
use villi_store::test_support::TestDb;
use villi_store::{BookingStatus, Reschedule, StoreError};

use crate::fixtures::{at, booking, create, job, minutes, now, practice};

contract!(
    cancelling_frees_the_slot_bumps_the_sequence_and_swaps_pending_reminders,
    a_booking_is_cancelled_only_once_and_an_unknown_one_is_not_found,
    rescheduling_moves_the_times_and_may_overlap_its_own_old_block,
    rescheduling_into_a_taken_slot_is_refused_and_changes_nothing,
    a_cancelled_booking_cannot_be_rescheduled,
    booking_changes_write_audit_rows_that_cannot_be_altered,
    the_database_refuses_an_overlapping_row_written_around_the_store,
);

fn move_to(id: &str, start: jiff::Timestamp, length: i64) -> Reschedule {
    let end = start + minutes(length);
    Reschedule {
        id: id.to_owned(),
        start,
        end,
        block: Block { start, end },
        token_expires_at: start,
        now: now() + minutes(5),
        jobs: vec![job("reminder.24h", start - minutes(24 * 60))],
        calendar: None,
    }
}

async fn cancelling_frees_the_slot_bumps_the_sequence_and_swaps_pending_reminders(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 15, 0);
    let mut request = create(new.clone());
    request.jobs = vec![
        job("reminder.24h", now()),
        job("reminder.1h", now()),
        job("email.confirmation", now()),
    ];
    store.create_booking(&request).await.unwrap();
    let later = now() + minutes(30);
    let cancelled = store
        .cancel_booking(&new.id, later, &[job("email.cancellation", later)])
        .await
        .unwrap();
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(cancelled.sequence, 1);
    assert_eq!(cancelled.cancelled_at, Some(later));
    assert_eq!(cancelled.updated_at, later);
    let kinds: Vec<String> = store
        .pending_jobs(&new.id)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.kind)
        .collect();
    assert_eq!(kinds, ["email.confirmation", "email.cancellation"]);
    // The slot is free again.
    store
        .create_booking(&create(booking(&ana, at(10, 0), 15, 0)))
        .await
        .unwrap();
}

async fn a_booking_is_cancelled_only_once_and_an_unknown_one_is_not_found(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 15, 0);
    store.create_booking(&create(new.clone())).await.unwrap();
    store.cancel_booking(&new.id, now(), &[]).await.unwrap();
    let again = store
        .cancel_booking(&new.id, now(), &[job("email.cancellation", now())])
        .await;
    assert!(matches!(again, Err(StoreError::NotActive)), "{again:?}");
    assert_eq!(store.booking(&new.id).await.unwrap().unwrap().sequence, 1);
    assert!(
        store
            .jobs_by_kind("email.cancellation")
            .await
            .unwrap()
            .is_empty()
    );
    let unknown = store.cancel_booking("nobody", now(), &[]).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn rescheduling_moves_the_times_and_may_overlap_its_own_old_block(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 60, 0);
    let mut request = create(new.clone());
    request.jobs = vec![job("reminder.24h", now()), job("email.confirmation", now())];
    store.create_booking(&request).await.unwrap();
    let moved = store
        .reschedule_booking(&move_to(&new.id, at(10, 30), 60))
        .await
        .unwrap();
    assert_eq!((moved.start, moved.end), (at(10, 30), at(11, 30)));
    assert_eq!(
        moved.block,
        Block {
            start: at(10, 30),
            end: at(11, 30)
        }
    );
    assert_eq!(moved.sequence, 1);
    assert_eq!(moved.status, BookingStatus::Active);
    assert_eq!(moved.updated_at, now() + minutes(5));
    let pending: Vec<(String, jiff::Timestamp)> = store
        .pending_jobs(&new.id)
        .await
        .unwrap()
        .into_iter()
        .map(|j| (j.kind, j.run_at))
        .collect();
    assert_eq!(
        pending,
        [
            ("email.confirmation".to_owned(), now()),
            ("reminder.24h".to_owned(), at(10, 30) - minutes(24 * 60))
        ]
    );
    // The manage link now expires at the new start.
    let token = &new.manage_token_hash;
    assert!(
        store
            .booking_by_token(&new.id, token, at(10, 15))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .booking_by_token(&new.id, token, at(10, 30))
            .await
            .unwrap()
            .is_none()
    );
    // The old time is free.
    store
        .create_booking(&create(booking(&ana, at(10, 0), 30, 0)))
        .await
        .unwrap();
}

async fn rescheduling_into_a_taken_slot_is_refused_and_changes_nothing(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let mine = booking(&ana, at(9, 0), 15, 0);
    let theirs = booking(&ana, at(10, 0), 60, 15);
    store.create_booking(&create(mine.clone())).await.unwrap();
    store.create_booking(&create(theirs)).await.unwrap();
    let refused = store
        .reschedule_booking(&move_to(&mine.id, at(11, 0), 15))
        .await;
    assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    let unchanged = store.booking(&mine.id).await.unwrap().unwrap();
    assert_eq!((unchanged.start, unchanged.sequence), (at(9, 0), 0));
    assert!(store.jobs_by_kind("reminder.24h").await.unwrap().is_empty());
    let unknown = store
        .reschedule_booking(&move_to("nobody", at(13, 0), 15))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn a_cancelled_booking_cannot_be_rescheduled(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(9, 0), 15, 0);
    store.create_booking(&create(new.clone())).await.unwrap();
    store.cancel_booking(&new.id, now(), &[]).await.unwrap();
    let refused = store
        .reschedule_booking(&move_to(&new.id, at(12, 0), 15))
        .await;
    assert!(matches!(refused, Err(StoreError::NotActive)), "{refused:?}");
}

async fn booking_changes_write_audit_rows_that_cannot_be_altered(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(9, 0), 15, 0);
    store.create_booking(&create(new.clone())).await.unwrap();
    store
        .reschedule_booking(&move_to(&new.id, at(12, 0), 15))
        .await
        .unwrap();
    store
        .cancel_booking(&new.id, now() + minutes(9), &[])
        .await
        .unwrap();
    store
        .record_audit(
            "practitioner:ana",
            "booking.view",
            &new.id,
            now() + minutes(10),
        )
        .await
        .unwrap();
    let events = store.audit_events(10).await.unwrap();
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("practitioner:ana", "booking.view"),
            ("visitor", "booking.cancel"),
            ("visitor", "booking.reschedule"),
            ("visitor", "booking.create"),
        ]
    );
    assert!(events.iter().all(|e| e.subject == new.id));
    assert_eq!(events[0].at, now() + minutes(10));
    assert_eq!(store.audit_events(2).await.unwrap().len(), 2);

    for sql in [
        "UPDATE audit_events SET actor = 'someone else'",
        "DELETE FROM audit_events",
    ] {
        let refused = db.execute(sql).await;
        assert!(refused.is_err(), "{sql} was allowed");
    }
    assert_eq!(db.scalar("SELECT count(*) FROM audit_events").await, 4);
}

async fn the_database_refuses_an_overlapping_row_written_around_the_store(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 15, 0);
    store.create_booking(&create(new.clone())).await.unwrap();
    let copy = "INSERT INTO bookings (id, practitioner_id, appointment_type, start_at, end_at, \
        block_start, block_end, status, name, email, phone, help_with, heard_from, consent, \
        answers, visitor_time_zone, manage_token_hash, manage_token_expires_at, sequence, \
        created_at, updated_at) \
        SELECT 'copy', practitioner_id, appointment_type, start_at + 300, end_at + 300, \
        block_start + 300, block_end + 300, status, name, email, phone, help_with, heard_from, \
        consent, answers, visitor_time_zone, manage_token_hash, manage_token_expires_at, \
        sequence, created_at, updated_at FROM bookings";
    let refused = db.execute(copy).await;
    assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    let stretch = "UPDATE bookings SET block_end = block_end + 3600";
    store
        .create_booking(&create(booking(&ana, at(10, 30), 15, 0)))
        .await
        .unwrap();
    let refused = db.execute(stretch).await;
    assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 2);
}
