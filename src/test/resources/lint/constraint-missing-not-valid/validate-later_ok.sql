ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
-- fixture: history above
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
