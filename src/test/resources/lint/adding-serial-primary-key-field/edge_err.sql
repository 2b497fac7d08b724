-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN seq bigserial;
ALTER TABLE orders ADD PRIMARY KEY USING INDEX orders_id_idx;
ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY (id);
-- expect: 4: the primary key index is built while the table is locked
