-- findings: the expect lines at the end
TRUNCATE orders, order_lines CASCADE;
TRUNCATE ONLY audit;
-- expect: 2: TRUNCATE cascades to referencing tables
