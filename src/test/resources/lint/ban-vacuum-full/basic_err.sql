-- expect 2
VACUUM FULL orders;
VACUUM (FULL, ANALYZE) customers;
