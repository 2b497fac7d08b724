-- findings: the expect lines at the end
DROP SEQUENCE IF EXISTS invoice_no;
-- expect: 2: sequence invoice_no is dropped
