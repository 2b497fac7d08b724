-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN status text NOT NULL;
-- expect: 2: the NOT NULL column has no default to fill existing rows
