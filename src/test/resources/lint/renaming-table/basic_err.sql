-- expect 1
ALTER TABLE orders RENAME TO purchases;
