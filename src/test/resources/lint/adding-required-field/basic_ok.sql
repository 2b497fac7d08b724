ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
CREATE TABLE fresh (id bigint);
ALTER TABLE fresh ADD COLUMN name text NOT NULL;
