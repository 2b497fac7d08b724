-- expect 2
CREATE TABLE notes (id bigint, written_at timestamp);
ALTER TABLE notes ADD COLUMN seen_at timestamp(3) without time zone;
