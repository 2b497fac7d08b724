-- findings: the expect lines at the end
ALTER TABLE IF EXISTS orders RENAME COLUMN note TO remark;
ALTER TABLE orders RENAME total TO amount;
-- expect: 2: a column is renamed
-- expect: 3: a column is renamed
