-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE IF EXISTS app.orders DROP CONSTRAINT "orders_Code_check";
-- expect: 2: constraint "orders_code_check" of app.orders is dropped
