ALTER TABLE orders ADD CONSTRAINT orders_status_not_null CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_not_null;
-- fixture: history above
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
