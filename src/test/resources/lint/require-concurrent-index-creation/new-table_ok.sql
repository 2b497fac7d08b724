CREATE TABLE app.events (id bigint PRIMARY KEY, at timestamptz);
CREATE INDEX events_at_idx ON app.events (at);
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders (code);
