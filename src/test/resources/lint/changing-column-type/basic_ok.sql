CREATE TABLE fresh (id int);
ALTER TABLE fresh ALTER COLUMN id TYPE bigint;
