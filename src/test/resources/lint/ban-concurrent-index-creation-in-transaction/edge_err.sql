-- findings: the expect lines at the end
BEGIN;
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
COMMIT;
CREATE INDEX CONCURRENTLY orders_code_idx ON orders (code);
-- expect: 3: CONCURRENTLY inside a BEGIN ... COMMIT block
