//! Creating and reading bookings.

use villi_domain::booking::Block;
use villi_store::test_support::TestDb;
use villi_store::{BookingStatus, StoreError};

use crate::fixtures::{at, booking, create, job, minutes, now, practice};

contract!(
    a_created_booking_reads_back_with_every_field_and_its_jobs,
    a_block_overlapping_an_active_block_is_refused_but_touching_blocks_are_not,
    overlap_is_judged_per_practitioner,
    the_email_cap_counts_active_future_bookings_whatever_the_case,
    a_repeated_idempotency_key_returns_the_first_booking,
    idempotency_keys_older_than_the_cut_off_are_forgotten,
    an_idempotency_key_reused_for_another_request_is_refused,
    a_booking_for_an_unknown_practitioner_or_type_is_not_found,
    a_manage_token_opens_its_booking_only_when_it_matches_and_has_not_expired,
    active_bookings_are_the_blocks_overlapping_the_range,
    bookings_for_a_practitioner_include_cancelled_ones_in_start_order,
    the_longest_block_allowed_is_still_found_at_its_far_end,
    a_block_longer_than_the_longest_allowed_is_refused,
);

async fn a_created_booking_reads_back_with_every_field_and_its_jobs(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 60, 15);
    let mut request = create(new.clone());
    request.jobs = vec![
        job("email.confirmation", now()),
        job("reminder.24h", at(10, 0) - minutes(24 * 60)),
    ];
    let created = store.create_booking(&request).await.unwrap();
    assert!(!created.replayed);
    let b = &created.booking;
    assert_eq!(b.id, new.id);
    assert_eq!(b.practitioner_id, ana.id);
    assert_eq!(b.appointment_type, "consultation");
    assert_eq!((b.start, b.end), (at(10, 0), at(11, 0)));
    assert_eq!(
        b.block,
        Block {
            start: at(9, 45),
            end: at(11, 15)
        }
    );
    assert_eq!(b.status, BookingStatus::Active);
    assert_eq!(
        (b.name.as_str(), b.email.as_str()),
        (new.name.as_str(), new.email.as_str())
    );
    assert_eq!(b.phone, new.phone);
    assert_eq!(
        (b.help_with.as_str(), b.heard_from.as_str()),
        ("Bloating after meals", "A friend")
    );
    assert!(b.consent);
    assert_eq!(b.answers, new.answers);
    assert_eq!(b.visitor_time_zone, "America/New_York");
    assert_eq!(b.sequence, 0);
    assert_eq!(
        (b.created_at, b.updated_at, b.cancelled_at),
        (now(), now(), None)
    );
    assert_eq!(store.booking(&new.id).await.unwrap().as_ref(), Some(b));

    let pending = store.pending_jobs(&new.id).await.unwrap();
    let kinds: Vec<&str> = pending.iter().map(|j| j.kind.as_str()).collect();
    assert_eq!(kinds, ["email.confirmation", "reminder.24h"]);
    assert!(
        pending
            .iter()
            .all(|j| j.booking_id.as_deref() == Some(new.id.as_str()))
    );
    assert_eq!(store.booking("no-such-booking").await.unwrap(), None);
}

async fn a_block_overlapping_an_active_block_is_refused_but_touching_blocks_are_not(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    // Occupies 09:45-11:15 with its buffers.
    store
        .create_booking(&create(booking(&ana, at(10, 0), 60, 15)))
        .await
        .unwrap();
    // Into the buffer before, and into the buffer after.
    for start in [at(9, 35), at(11, 0)] {
        let refused = store
            .create_booking(&create(booking(&ana, start, 15, 0)))
            .await;
        assert!(
            matches!(refused, Err(StoreError::SlotTaken)),
            "{start}: {refused:?}"
        );
    }
    // Ending exactly where the block starts, starting exactly where it ends.
    for start in [at(9, 30), at(11, 15)] {
        store
            .create_booking(&create(booking(&ana, start, 15, 0)))
            .await
            .unwrap();
    }
    let active = db
        .scalar("SELECT count(*) FROM bookings WHERE status = 'active'")
        .await;
    assert_eq!(active, 3);
}

async fn overlap_is_judged_per_practitioner(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let bea = crate::fixtures::practitioner(store, "bea").await;
    store
        .create_booking(&create(booking(&ana, at(10, 0), 15, 0)))
        .await
        .unwrap();
    store
        .create_booking(&create(booking(&bea, at(10, 0), 15, 0)))
        .await
        .unwrap();
}

async fn the_email_cap_counts_active_future_bookings_whatever_the_case(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let with_email = |start, email: &str| {
        let mut new = booking(&ana, start, 15, 0);
        new.email = email.to_owned();
        let mut request = create(new);
        request.max_active_per_email = 2;
        request
    };
    // One in the past (relative to the request's now) does not count...
    let mut past = with_email(at(8, 0), "sam@example.org");
    past.now = at(9, 0);
    store.create_booking(&past).await.unwrap();
    // ...and neither does a cancelled one.
    let cancelled = store
        .create_booking(&with_email(at(8, 30), "Sam@Example.org"))
        .await
        .unwrap();
    store
        .cancel_booking(&cancelled.booking.id, now(), &[])
        .await
        .unwrap();
    let later = |start| {
        let mut request = with_email(start, "SAM@example.org");
        request.now = at(9, 0);
        request
    };
    store.create_booking(&later(at(10, 0))).await.unwrap();
    store.create_booking(&later(at(11, 0))).await.unwrap();
    let third = store.create_booking(&later(at(12, 0))).await;
    assert!(
        matches!(third, Err(StoreError::EmailCapReached)),
        "{third:?}"
    );
}

async fn a_repeated_idempotency_key_returns_the_first_booking(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let mut first = create(booking(&ana, at(10, 0), 15, 0));
    first.idempotency = Some(("key-1".to_owned(), "hash-a".to_owned()));
    first.jobs = vec![job("email.confirmation", now())];
    let original = store.create_booking(&first).await.unwrap();
    // A retry carries a fresh booking id; the key still finds the first one.
    let mut retry = first.clone();
    retry.booking.id = uuid::Uuid::new_v4().to_string();
    let replayed = store.create_booking(&retry).await.unwrap();
    assert!(replayed.replayed);
    assert_eq!(replayed.booking, original.booking);
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 1);
    assert_eq!(db.scalar("SELECT count(*) FROM jobs").await, 1);
}

async fn an_idempotency_key_reused_for_another_request_is_refused(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let mut first = create(booking(&ana, at(10, 0), 15, 0));
    first.idempotency = Some(("key-1".to_owned(), "hash-a".to_owned()));
    store.create_booking(&first).await.unwrap();
    let mut other = create(booking(&ana, at(11, 0), 15, 0));
    other.idempotency = Some(("key-1".to_owned(), "hash-b".to_owned()));
    let refused = store.create_booking(&other).await;
    assert!(
        matches!(refused, Err(StoreError::IdempotencyMismatch)),
        "{refused:?}"
    );
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 1);
}

async fn a_booking_for_an_unknown_practitioner_or_type_is_not_found(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let mut stranger = booking(&ana, at(10, 0), 15, 0);
    stranger.practitioner_id = "nobody".to_owned();
    let refused = store.create_booking(&create(stranger)).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    let mut odd_type = booking(&ana, at(10, 0), 15, 0);
    odd_type.appointment_type = "massage".to_owned();
    let refused = store.create_booking(&create(odd_type)).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 0);
    assert_eq!(db.scalar("SELECT count(*) FROM audit_events").await, 0);
}

async fn a_manage_token_opens_its_booking_only_when_it_matches_and_has_not_expired(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let new = booking(&ana, at(10, 0), 15, 0);
    store.create_booking(&create(new.clone())).await.unwrap();
    let expires = new.manage_token_expires_at;
    let open = store
        .booking_by_token(&new.id, &new.manage_token_hash, expires - minutes(1))
        .await
        .unwrap();
    assert_eq!(open.map(|b| b.id), Some(new.id.clone()));
    let wrong = store
        .booking_by_token(&new.id, "hash-of-something-else", now())
        .await
        .unwrap();
    assert_eq!(wrong, None);
    let expired = store
        .booking_by_token(&new.id, &new.manage_token_hash, expires)
        .await
        .unwrap();
    assert_eq!(expired, None);
}

async fn active_bookings_are_the_blocks_overlapping_the_range(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let early = booking(&ana, at(9, 0), 15, 0);
    let buffered = booking(&ana, at(10, 0), 60, 15);
    let late = booking(&ana, at(14, 0), 15, 0);
    let gone = booking(&ana, at(12, 0), 15, 0);
    for b in [&early, &buffered, &late, &gone] {
        store.create_booking(&create(b.clone())).await.unwrap();
    }
    store.cancel_booking(&gone.id, now(), &[]).await.unwrap();
    // 11:10 is inside the buffer after the consultation, not the appointment.
    let found = store
        .active_bookings(&ana.id, at(11, 10), at(14, 0))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].block, buffered.block);
    assert_eq!(found[0].start, buffered.start);
    assert_eq!(found[0].appointment_type, "consultation");
    let all = store
        .active_bookings(&ana.id, at(0, 0), at(23, 0))
        .await
        .unwrap();
    let starts: Vec<_> = all.iter().map(|b| b.start).collect();
    assert_eq!(starts, [at(9, 0), at(10, 0), at(14, 0)]);
}

async fn bookings_for_a_practitioner_include_cancelled_ones_in_start_order(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let bea = crate::fixtures::practitioner(store, "bea").await;
    let second = booking(&ana, at(11, 0), 15, 0);
    let first = booking(&ana, at(9, 0), 15, 0);
    let elsewhere = booking(&bea, at(9, 0), 15, 0);
    for b in [&second, &first, &elsewhere] {
        store.create_booking(&create(b.clone())).await.unwrap();
    }
    store.cancel_booking(&first.id, now(), &[]).await.unwrap();
    let listed = store
        .bookings_for_practitioner(&ana.id, at(0, 0), at(23, 0))
        .await
        .unwrap();
    let seen: Vec<(&str, BookingStatus)> =
        listed.iter().map(|b| (b.id.as_str(), b.status)).collect();
    assert_eq!(
        seen,
        [
            (first.id.as_str(), BookingStatus::Cancelled),
            (second.id.as_str(), BookingStatus::Active)
        ]
    );
    let narrow = store
        .bookings_for_practitioner(&ana.id, at(9, 15), at(11, 0))
        .await
        .unwrap();
    assert!(narrow.is_empty(), "{narrow:?}");
}

/// Searches look back only as far as the longest block; one that long must
/// still be seen from its last minute.
async fn the_longest_block_allowed_is_still_found_at_its_far_end(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    // 8 hours with 4-hour buffers: the block runs 00:00-16:00.
    let longest = booking(&ana, at(4, 0), 480, 240);
    assert_eq!(
        longest.block.end - longest.block.start,
        jiff::SignedDuration::from_hours(16)
    );
    store
        .create_booking(&create(longest.clone()))
        .await
        .unwrap();
    let refused = store
        .create_booking(&create(booking(&ana, at(15, 45), 15, 0)))
        .await;
    assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    let found = store
        .active_bookings(&ana.id, at(15, 50), at(16, 30))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].block, longest.block);
    store
        .create_booking(&create(booking(&ana, at(16, 0), 15, 0)))
        .await
        .unwrap();
}

async fn a_block_longer_than_the_longest_allowed_is_refused(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    let too_long = booking(&ana, at(4, 0), 481, 240);
    let refused = store.create_booking(&create(too_long)).await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 0);
}

async fn idempotency_keys_older_than_the_cut_off_are_forgotten(db: &TestDb) {
    let store = db.store();
    let ana = practice(store).await;
    for (key, at_hour, made) in [("old", 9, now()), ("new", 10, now() + minutes(60))] {
        let mut request = create(booking(&ana, at(at_hour, 0), 15, 0));
        request.idempotency = Some((key.to_owned(), format!("hash-{key}")));
        request.now = made;
        store.create_booking(&request).await.unwrap();
    }
    let pruned = store
        .prune_idempotency_keys(now() + minutes(30))
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    assert_eq!(
        db.scalar("SELECT count(*) FROM idempotency_keys WHERE key = 'new'")
            .await,
        1
    );
    assert_eq!(db.scalar("SELECT count(*) FROM idempotency_keys").await, 1);
    // The bookings themselves stay.
    assert_eq!(db.scalar("SELECT count(*) FROM bookings").await, 2);
}
