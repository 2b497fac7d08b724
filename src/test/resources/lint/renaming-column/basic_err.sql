-- findings: the expect lines at the end
ALTER TABLE orders RENAME COLUMN total TO amount;
ALTER TABLE orders RENAME status TO state;
-- expect: 2: a column is renamed
-- expect: 3: a column is renamed
