-- findings: the expect lines at the end
DROP VIEW IF EXISTS active_orders RESTRICT;
CREATE OR REPLACE VIEW active_orders AS SELECT * FROM orders WHERE status <> 'done';
-- expect: 2: view active_orders is dropped
