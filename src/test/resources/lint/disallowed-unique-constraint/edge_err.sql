-- findings: the expect lines at the end
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE USING INDEX orders_code_idx;
ALTER TABLE orders ADD UNIQUE (external_id);
CREATE TABLE t (code text, UNIQUE (code));
-- expect: 3: the unique index is built while the table is locked
