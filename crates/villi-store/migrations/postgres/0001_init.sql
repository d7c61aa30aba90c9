-- villi schema, PostgreSQL flavour. Instants are unix seconds UTC (BIGINT),
-- like the SQLite schema, so both backends store the same values; local
-- dates and times are ISO text in the practitioner's zone, collated "C" so
-- they sort as bytes (as in SQLite) whatever the database locale.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE practitioners (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    CONSTRAINT practitioners_slug_key UNIQUE (slug)
);

CREATE TABLE appointment_types (
    slug               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    duration_min       BIGINT NOT NULL CHECK (duration_min > 0),
    buffer_before_min  BIGINT NOT NULL CHECK (buffer_before_min >= 0),
    buffer_after_min   BIGINT NOT NULL CHECK (buffer_after_min >= 0),
    min_notice_min     BIGINT NOT NULL CHECK (min_notice_min >= 0),
    horizon_days       BIGINT NOT NULL CHECK (horizon_days >= 0),
    daily_cap          BIGINT CHECK (daily_cap >= 0),
    public             BOOLEAN NOT NULL,
    price_label        TEXT NOT NULL,
    slot_interval_min  BIGINT NOT NULL CHECK (slot_interval_min > 0)
);

CREATE TABLE weekly_rules (
    id               BIGSERIAL PRIMARY KEY,
    practitioner_id  TEXT NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
    -- 1 = Monday ... 7 = Sunday, so rules sort in week order.
    weekday          BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    window_start     TEXT COLLATE "C" NOT NULL,
    window_end       TEXT COLLATE "C" NOT NULL,
    appointment_type TEXT
);
CREATE INDEX weekly_rules_practitioner ON weekly_rules (practitioner_id, weekday, window_start);

CREATE TABLE date_overrides (
    id               BIGSERIAL PRIMARY KEY,
    practitioner_id  TEXT NOT NULL REFERENCES practitioners (id) ON DELETE CASCADE,
    date             TEXT COLLATE "C" NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('extra_hours', 'time_off', 'day_off')),
    window_start     TEXT,
    window_end       TEXT,
    CHECK ((kind = 'day_off') = (window_start IS NULL AND window_end IS NULL))
);
CREATE INDEX date_overrides_practitioner ON date_overrides (practitioner_id, date);

CREATE TABLE questions (
    key       TEXT PRIMARY KEY,
    position  BIGINT NOT NULL,
    label     TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('short_text', 'choice')),
    options   JSONB NOT NULL,
    required  BOOLEAN NOT NULL,
    CONSTRAINT questions_position_key UNIQUE (position)
);

CREATE TABLE bookings (
    id                       TEXT PRIMARY KEY,
    practitioner_id          TEXT NOT NULL REFERENCES practitioners (id),
    appointment_type         TEXT NOT NULL REFERENCES appointment_types (slug),
    start_at                 BIGINT NOT NULL,
    end_at                   BIGINT NOT NULL,
    block_start              BIGINT NOT NULL,
    block_end                BIGINT NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('active', 'cancelled')),
    name                     TEXT NOT NULL,
    email                    TEXT NOT NULL,
    phone                    TEXT,
    help_with                TEXT NOT NULL,
    heard_from               TEXT NOT NULL,
    consent                  BOOLEAN NOT NULL,
    answers                  JSONB NOT NULL,
    visitor_time_zone        TEXT NOT NULL,
    manage_token_hash        TEXT NOT NULL,
    manage_token_expires_at  BIGINT NOT NULL,
    sequence                 BIGINT NOT NULL DEFAULT 0,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL,
    cancelled_at             BIGINT,
    CHECK (start_at < end_at),
    CHECK (block_start <= start_at AND end_at <= block_end),
    -- The database is the arbiter: no two active blocks of one practitioner
    -- overlap, whichever server inserted them.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        practitioner_id WITH =,
        int8range(block_start, block_end, '[)') WITH &&
    ) WHERE (status = 'active')
);
CREATE INDEX bookings_practitioner_start ON bookings (practitioner_id, start_at);
CREATE INDEX bookings_email ON bookings (lower(email), start_at) WHERE status = 'active';

CREATE TABLE idempotency_keys (
    key           TEXT PRIMARY KEY,
    request_hash  TEXT NOT NULL,
    -- Deferred: the key is claimed first, before the booking row exists, so
    -- that a concurrent request with the same key waits on it.
    booking_id    TEXT NOT NULL REFERENCES bookings (id) DEFERRABLE INITIALLY DEFERRED,
    created_at    BIGINT NOT NULL
);

CREATE TABLE jobs (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,
    booking_id  TEXT REFERENCES bookings (id) ON DELETE CASCADE,
    payload     JSONB NOT NULL,
    run_at      BIGINT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'done', 'dead')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    locked_by   TEXT,
    lease_until BIGINT,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_booking ON jobs (booking_id) WHERE booking_id IS NOT NULL;
CREATE INDEX jobs_kind ON jobs (kind);

CREATE TABLE rate_limits (
    key           TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Who did what to which record, when. Never health data: only ids and verbs.
CREATE TABLE audit_events (
    id       BIGSERIAL PRIMARY KEY,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    at       BIGINT NOT NULL
);

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_change
BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
