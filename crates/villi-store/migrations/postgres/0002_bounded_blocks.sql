-- A booking's block (the appointment and its buffers) is at most 16 hours:
-- the longest appointment type (8 hours) with the longest buffers (4 hours
-- each side). Searches for the bookings around a time rely on it to look
-- back no further than that. (Overlap itself stays with the exclusion
-- constraint.)
ALTER TABLE bookings
    ADD CONSTRAINT bookings_block_length CHECK (block_end - block_start <= 57600);

CREATE INDEX bookings_active_blocks ON bookings (practitioner_id, block_start, block_end)
    WHERE status = 'active';
