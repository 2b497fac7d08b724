-- expect 1
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
