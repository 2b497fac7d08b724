-- findings: the expect lines at the end
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops (id);
-- expect: 2: the foreign key is validated in the same statement; add it NOT VALID and VALIDATE it separately
-- expect: 3: the foreign key is validated in the same statement; add it NOT VALID and VALIDATE it separately
