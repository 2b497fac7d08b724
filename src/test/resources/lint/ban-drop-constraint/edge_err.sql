-- findings: the expect lines at the end
CREATE TABLE t (id bigint CONSTRAINT t_id_positive CHECK (id > 0));
ALTER TABLE t DROP CONSTRAINT t_id_positive;
ALTER TABLE orders DROP CONSTRAINT orders_total_positive CASCADE;
-- expect: 4: constraint orders_total_positive of orders is dropped
