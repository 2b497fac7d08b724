-- expect 1
DROP INDEX orders_status_idx;
