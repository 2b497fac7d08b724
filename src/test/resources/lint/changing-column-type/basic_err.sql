-- expect 1
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);
