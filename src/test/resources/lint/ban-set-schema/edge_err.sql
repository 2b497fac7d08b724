-- findings: the expect lines at the end
ALTER VIEW IF EXISTS active_orders SET SCHEMA reporting;
ALTER SEQUENCE invoice_no OWNED BY orders.id;
-- expect: 2: view active_orders moves to schema reporting
