-- findings: the expect lines at the end
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
-- expect: 2: SET NOT NULL on status scans the table under ACCESS EXCLUSIVE
