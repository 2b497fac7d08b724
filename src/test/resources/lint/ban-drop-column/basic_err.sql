-- expect 2
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders DROP legacy_flag;
