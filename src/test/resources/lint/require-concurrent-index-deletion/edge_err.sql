-- findings: the expect lines at the end
DROP INDEX IF EXISTS orders_status_idx, orders_code_idx;
DROP INDEX CONCURRENTLY IF EXISTS orders_note_idx;
-- expect: 2: the index is dropped without CONCURRENTLY
