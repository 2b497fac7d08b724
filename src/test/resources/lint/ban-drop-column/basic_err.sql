-- findings: the expect lines at the end
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders DROP legacy_flag;
-- expect: 2: a column is dropped with its data
-- expect: 3: a column is dropped with its data
