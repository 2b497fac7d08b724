-- findings: the expect lines at the end
CREATE TABLE visits (id bigint PRIMARY KEY, seen_at timestamp[], logged_at timestamp(3) [], ok_at timestamptz[]);
ALTER TABLE visits ADD COLUMN left_at timestamp ARRAY;
-- expect: 2: column seen_at is timestamp without time zone
-- expect: 2: column logged_at is timestamp without time zone
-- expect: 3: column left_at is timestamp without time zone
