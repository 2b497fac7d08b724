-- findings: the expect lines at the end
REINDEX TABLE orders;
VACUUM ANALYZE orders;
-- expect: 2: REINDEX runs without CONCURRENTLY
