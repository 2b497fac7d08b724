-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN source text NOT NULL DEFAULT 'web';
ALTER TABLE orders ADD COLUMN channel text NOT NULL;
ALTER TABLE orders ADD COLUMN id2 bigint GENERATED ALWAYS AS IDENTITY NOT NULL;
-- expect: 3: the NOT NULL column has no default to fill existing rows
