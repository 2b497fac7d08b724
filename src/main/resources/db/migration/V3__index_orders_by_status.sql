-- Built without blocking writes: PostgreSQL refuses CONCURRENTLY inside a transaction,
-- so Sluice runs this script outside one.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
