-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE orders ALTER COLUMN "Status" DROP DEFAULT;
-- expect: 2: the default of "status" is dropped
