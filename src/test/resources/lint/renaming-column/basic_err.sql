-- expect 2
ALTER TABLE orders RENAME COLUMN total TO amount;
ALTER TABLE orders RENAME status TO state;
