-- findings: the expect lines at the end
DROP INDEX orders_status_idx;
-- expect: 2: the index is dropped without CONCURRENTLY
