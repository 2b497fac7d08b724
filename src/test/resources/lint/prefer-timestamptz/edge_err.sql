-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN shipped_at timestamp(3), ADD COLUMN paid_at timestamptz;
CREATE TABLE t (at timestamp with time zone, local_at timestamp without time zone);
-- expect: 2: column shipped_at is timestamp without time zone
-- expect: 3: column local_at is timestamp without time zone
