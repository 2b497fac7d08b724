-- IF NOT EXISTS needs an index name; PostgreSQL picks one here.
CREATE INDEX CONCURRENTLY ON orders (status);
