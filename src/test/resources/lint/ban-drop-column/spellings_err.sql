-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE orders DROP COLUMN "Old Notes";
-- expect: 2: column old notes is dropped with its data
