-- findings: the expect lines at the end
CREATE TABLE lines (id smallint PRIMARY KEY, order_id int4 REFERENCES orders (id), qty integer);
ALTER TABLE lines ADD COLUMN product_id integer;
-- expect: 2: key column id is smallint
-- expect: 2: key column order_id is int4
-- expect: 3: key column product_id is integer
