-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL, ALTER COLUMN total SET NOT NULL;
-- expect: 2: NOT NULL is dropped
