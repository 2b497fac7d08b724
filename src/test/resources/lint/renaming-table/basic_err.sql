-- findings: the expect lines at the end
ALTER TABLE orders RENAME TO purchases;
-- expect: 2: a table is renamed
