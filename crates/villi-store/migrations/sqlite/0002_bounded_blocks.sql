-- A booking's block (the appointment and its buffers) is at most 16 hours:
-- the longest appointment type (8 hours) with the longest buffers (4 hours
-- each side). With that bound an overlap search looks back 16 hours from the
-- new block instead of through every earlier booking of the practitioner,
-- and the index carries block_end so the search never reads the table.

CREATE TRIGGER bookings_block_length_insert
BEFORE INSERT ON bookings
WHEN NEW.block_end - NEW.block_start > 57600
BEGIN
    SELECT RAISE(ABORT, 'bookings_block_length');
END;

CREATE TRIGGER bookings_block_length_update
BEFORE UPDATE OF block_start, block_end ON bookings
WHEN NEW.block_end - NEW.block_start > 57600
BEGIN
    SELECT RAISE(ABORT, 'bookings_block_length');
END;

DROP INDEX bookings_active_blocks;
CREATE INDEX bookings_active_blocks ON bookings (practitioner_id, block_start, block_end)
    WHERE status = 'active';

DROP TRIGGER bookings_no_overlap_insert;
CREATE TRIGGER bookings_no_overlap_insert
BEFORE INSERT ON bookings
WHEN NEW.status = 'active' AND EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.practitioner_id = NEW.practitioner_id
      AND b.status = 'active'
      AND b.block_start > NEW.block_start - 57600
      AND b.block_start < NEW.block_end
      AND NEW.block_start < b.block_end
)
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap');
END;

DROP TRIGGER bookings_no_overlap_update;
CREATE TRIGGER bookings_no_overlap_update
BEFORE UPDATE OF practitioner_id, block_start, block_end, status ON bookings
WHEN NEW.status = 'active' AND EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.practitioner_id = NEW.practitioner_id
      AND b.id <> NEW.id
      AND b.status = 'active'
      AND b.block_start > NEW.block_start - 57600
      AND b.block_start < NEW.block_end
      AND NEW.block_start < b.block_end
)
BEGIN
    SELECT RAISE(ABORT, 'bookings_no_overlap');
END;
