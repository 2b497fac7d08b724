CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
ALTER TABLE invoices ADD COLUMN total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED;
ALTER TABLE orders ADD COLUMN total_with_tax numeric;
