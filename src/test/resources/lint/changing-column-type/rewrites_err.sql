CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2), name varchar(100), qty integer);
-- fixture: history above
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,3), ALTER COLUMN name TYPE varchar(50),
    ALTER COLUMN qty TYPE bigint;
ALTER TABLE orders ALTER COLUMN name TYPE text USING trim(name);
-- expect: 3: the type change of total from numeric(10,2) to numeric(12,3) rewrites orders
-- expect: 3: the type change of name from varchar(100) to varchar(50) rewrites orders
-- expect: 4: the type change of qty from integer to bigint rewrites orders
-- expect: 5: the type change of name to text converts every row (USING) and rewrites orders
