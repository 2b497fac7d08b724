-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
-- expect: 2: the default of status is dropped
