-- findings: the expect lines at the end
DROP SEQUENCE invoice_no, credit_note_no;
-- expect: 2: sequence invoice_no is dropped
-- expect: 2: sequence credit_note_no is dropped
