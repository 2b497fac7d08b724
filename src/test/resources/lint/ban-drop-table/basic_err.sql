-- findings: the expect lines at the end
DROP TABLE IF EXISTS orders;
-- expect: 2: table orders is dropped with its data
