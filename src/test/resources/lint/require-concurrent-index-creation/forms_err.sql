-- findings: the expect lines at the end
CREATE UNIQUE INDEX IF NOT EXISTS orders_code_key ON app.orders (lower(code));
CREATE INDEX orders_open_idx ON ONLY orders USING btree (created_at) WHERE status = 'open';
-- expect: 2: the index on app.orders is built without CONCURRENTLY
-- expect: 3: the index on orders is built without CONCURRENTLY
