-- findings: the expect lines at the end
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders DROP legacy_flag;
-- expect: 2: column note is dropped with its data
-- expect: 3: column legacy_flag is dropped with its data
