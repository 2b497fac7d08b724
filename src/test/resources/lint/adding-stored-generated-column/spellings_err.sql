-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE "Order Lines" ADD COLUMN "Line Total" numeric GENERATED ALWAYS AS(qty*price) STORED;
-- expect: 2: the stored generated column "line total" is computed for every row: "order lines" is rewritten
