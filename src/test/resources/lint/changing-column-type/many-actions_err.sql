CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric(10,2), code varchar(10), qty integer);
-- fixture: history above
ALTER TABLE invoices
    ALTER COLUMN total TYPE numeric(12,2),
    ALTER COLUMN code TYPE varchar(5),
    ALTER COLUMN qty SET DATA TYPE bigint;
-- expect: 5: the type change of code from varchar(10) to varchar(5) rewrites invoices
-- expect: 6: the type change of qty from integer to bigint rewrites invoices
