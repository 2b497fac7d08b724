CREATE TABLE notes (id bigint, written_at timestamptz, noted_on date);
ALTER TABLE notes ADD COLUMN seen_at timestamp with time zone;
