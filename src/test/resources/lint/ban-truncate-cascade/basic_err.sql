-- expect 1
TRUNCATE customers CASCADE;
