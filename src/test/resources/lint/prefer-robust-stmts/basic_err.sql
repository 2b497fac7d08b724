-- findings: the expect lines at the end
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
-- expect: 2: this statement fails when the script is re-run after a partial failure
