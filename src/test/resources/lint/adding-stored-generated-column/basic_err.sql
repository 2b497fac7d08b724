-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN total_with_tax numeric GENERATED ALWAYS AS (total * 1.2) STORED;
-- expect: 2: the stored generated column total_with_tax is computed for every row: orders is rewritten
