-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE orders RENAME CONSTRAINT "Old Name" TO new_name;
ALTER INDEX IF EXISTS app.orders_x RENAME TO orders_x_old;
-- expect: 2: constraint "old name" of orders is renamed to new_name
-- expect: 3: index app.orders_x is renamed to orders_x_old
