-- findings: the expect lines at the end
ALTER INDEX orders_status_idx RENAME TO orders_state_idx;
ALTER TABLE orders RENAME CONSTRAINT orders_fk TO orders_customer_fk;
ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';
ALTER SEQUENCE IF EXISTS invoice_no RENAME TO invoice_number;
-- expect: 2: index orders_status_idx is renamed to orders_state_idx
-- expect: 3: constraint orders_fk of orders is renamed to orders_customer_fk
-- expect: 4: a value of order_status is renamed
-- expect: 5: sequence invoice_no is renamed to invoice_number
