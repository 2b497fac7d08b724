-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);
-- expect: 2: the type change of total to numeric(14,2) may rewrite orders (the scripts do not say what its type was)
