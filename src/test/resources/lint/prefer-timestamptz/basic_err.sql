-- findings: the expect lines at the end
CREATE TABLE notes (id bigint, written_at timestamp);
ALTER TABLE notes ADD COLUMN seen_at timestamp(3) without time zone;
-- expect: 2: column written_at is timestamp without time zone
-- expect: 3: column seen_at is timestamp without time zone
