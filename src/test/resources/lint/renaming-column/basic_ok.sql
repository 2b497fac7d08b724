ALTER TABLE orders RENAME CONSTRAINT orders_a TO orders_b;
ALTER TABLE orders ADD COLUMN renamed_flag boolean;
