-- villi schema, SQLite flavour. Instants are unix seconds UTC (INTEGER);
-- local dates and times are ISO text in the practitioner's zone.

CREATE TABLE practitioners (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

CREATE TABLE appointment_types (
    slug               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    duration_min       INTEGER NOT NULL CHECK (duration_min > 0),
    buffer_before_min  INTEGER NOT NULL CHECK (buffer_before_min >= 0),
    buffer_after_min   INTEGER NOT NULL CHECK (buffer_after_min >= 0),
    min_notice_min     INTEGER NOT NULL CHECK (min_notice_min >= 0),
    horizon_days       INTEGER NOT NULL CHECK (horizon_days >= 0),
    daily_cap          INTEGER CHECK (daily_cap >= 0),
    public             BOOLEAN NOT NULL,
    price_label        TEXT NOT NULL,
    slot_interval_min  INTEGER NOT NULL CHECK (slot_interval_min > 0)
);

CREATE TABLE weekly_rules (
    id               INTEGER PRIMARY KEY,
    practitioner_id  TEXT NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
    -- 1 = Monday ... 7 = Sunday, so rules sort in week order.
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    window_start     TEXT NOT NULL,
    window_end       TEXT NOT NULL,
    appointment_type TEXT
);
CREATE INDEX weekly_rules_practitioner ON weekly_rules (practitioner_id, weekday, window_start);

CREATE TABLE date_overrides (
    id               INTEGER PRIMARY KEY,
    practitioner_id  TEXT NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
    date             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('extra_hours', 'time_off', 'day_off')),
    window_start     TEXT,
    window_end       TEXT,
    CHECK ((kind = 'day_off') = (window_start IS NULL AND window_end IS NULL))
);
CREATE INDEX date_overrides_practitioner ON date_overrides (practitioner_id, date);

CREATE TABLE questions (
    key       TEXT PRIMARY KEY,
    position  INTEGER NOT NULL UNIQUE,
    label     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('short_text', 'choice')),
    options   TEXT NOT NULL,
    required  BOOLEAN NOT NULL
);

CREATE TABLE bookings (
    id                       TEXT PRIMARY KEY,
    practitioner_id          TEXT NOT NULL REFERENCES practitioners (id),
    appointment_type         TEXT NOT NULL REFERENCES appointment_types (slug),
    start_at                 INTEGER NOT NULL,
    end_at                   INTEGER NOT NULL,
    block_start              INTEGER NOT NULL,
    block_end                INTEGER NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
    name                     TEXT NOT NULL,
    email                    TEXT NOT NULL,
    phone                    TEXT,
    help_with                TEXT NOT NULL,
    heard_from               TEXT NOT NULL,
    consent                  BOOLEAN NOT NULL,
    answers                  TEXT NOT NULL,
    visitor_time_zone        TEXT NOT NULL,
    manage_token_hash        TEXT NOT NULL,
    manage_token_expires_at  INTEGER NOT NULL,
    sequence                 INTEGER NOT NULL DEFAULT 0,
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    cancelled_at             INTEGER,
    CHECK (start_at < end_at),
    CHECK (block_start <= start_at AND end_at <= block_end)
);
CREATE INDEX bookings_active_blocks ON bookings (practitioner_id, block_start)
    WHERE status = 'active';
CREATE INDEX bookings_practitioner_start ON bookings (practitioner_id, start_at);
CREATE INDEX bookings_email ON bookings (lower(email), start_at) WHERE status = 'active';

-- The application checks for overlap inside its BEGIN IMMEDIATE transaction;
-- these triggers make any other writer obey the same rule.
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status = 'active' AND EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.practitioner_id = NEW.practitioner_id
      AND b.status = 'active'
      AND b.block_start < NEW.block_end
      AND NEW.block_start < b.block_end
)
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap');
END;

CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF practitioner_id, block_start, block_end, status ON bookings
WHEN NEW.status = 'active' AND EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.practitioner_id = NEW.practitioner_id
      AND b.id <> NEW.id
      AND b.status = 'active'
      AND b.block_start < NEW.block_end
      AND NEW.block_start < b.block_end
)
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap');
END;

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    request_hash  TEXT NOT NULL,
    booking_id    TEXT NOT NULL REFERENCES bookings (id) DEFERRABLE INITIALLY DEFERRED,
    created_at    INTEGER NOT NULL
);

CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    booking_id  TEXT REFERENCES bookings (id) ON DELETE CASCADE,
    payload     TEXT NOT NULL,
    run_at      INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'done', 'dead')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    locked_by   TEXT,
    lease_until INTEGER,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_booking ON jobs (booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX jobs_kind ON jobs (kind);

CREATE TABLE rate_limits (
    key           TEXT NOT NULL,
    window_start  INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Who did what to which record, when. Never health data: only ids and verbs.
CREATE TABLE audit_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    at       INTEGER NOT NULL
);

CREATE TRIGGER audit_events_no_update
BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete
BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
