-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE ONLY orders ALTER COLUMN "Due At" SET NOT NULL;
-- expect: 2: SET NOT NULL on "due at" scans the table under ACCESS EXCLUSIVE
