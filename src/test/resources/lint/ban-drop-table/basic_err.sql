-- expect 1
DROP TABLE IF EXISTS orders;
