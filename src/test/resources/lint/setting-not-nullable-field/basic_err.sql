-- expect 1
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
