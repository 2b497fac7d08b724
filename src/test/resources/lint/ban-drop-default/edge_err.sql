-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT, ALTER COLUMN note SET DEFAULT '';
ALTER TABLE orders ALTER note DROP DEFAULT;
-- expect: 2: the default of status is dropped
-- expect: 3: the default of note is dropped
