-- findings: the expect lines at the end
CREATE INDEX orders_status_idx ON orders (status);
-- expect: 2: the index on orders is built without CONCURRENTLY
