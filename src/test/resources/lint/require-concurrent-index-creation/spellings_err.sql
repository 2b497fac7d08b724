-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
CREATE INDEX orders_x ON orders(x);
CREATE INDEX IF NOT EXISTS orders_y ON ONLY "Order Lines"(y);
CREATE UNIQUE INDEX orders_z ON app.orders
  (z);
-- expect: 2: the index on orders is built without CONCURRENTLY
-- expect: 3: the index on "order lines" is built without CONCURRENTLY
-- expect: 4: the index on app.orders is built without CONCURRENTLY
