-- expect 1
ALTER TABLE orders ADD COLUMN status text NOT NULL;
