CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(100), note varchar(50), bio varchar(20), price numeric(10,2),
                        code text, amount numeric(8,2));
-- fixture: history above
ALTER TABLE customers ALTER COLUMN name TYPE varchar(200);
ALTER TABLE customers ALTER COLUMN note TYPE text;
ALTER TABLE customers ALTER COLUMN bio SET DATA TYPE character varying;
ALTER TABLE customers ALTER COLUMN price TYPE numeric(12,2);
ALTER TABLE customers ALTER COLUMN code TYPE varchar, ALTER COLUMN amount TYPE numeric;
ALTER TABLE customers ALTER COLUMN name TYPE pg_catalog.varchar(300);
