-- findings: the expect lines at the end
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD FOREIGN KEY (store_id) REFERENCES stores (id);
ALTER TABLE orders ADD COLUMN region_id bigint REFERENCES regions (id);
-- expect: 3: the foreign key is validated in the same statement; add it NOT VALID and VALIDATE it separately
-- expect: 4: the foreign key is validated in the same statement; add it NOT VALID and VALIDATE it separately
