-- findings: the expect lines at the end
DROP TABLE IF EXISTS orders;
-- expect: 2: a table is dropped with its data
