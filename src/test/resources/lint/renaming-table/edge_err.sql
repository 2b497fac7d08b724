-- findings: the expect lines at the end
ALTER TABLE IF EXISTS app.orders RENAME TO purchases;
ALTER TABLE orders RENAME COLUMN note TO remark;
-- expect: 2: a table is renamed
