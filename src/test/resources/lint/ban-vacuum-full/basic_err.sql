-- findings: the expect lines at the end
VACUUM FULL orders;
VACUUM (FULL, ANALYZE) customers;
-- expect: 2: VACUUM FULL locks and rewrites the table
-- expect: 3: VACUUM FULL locks and rewrites the table
