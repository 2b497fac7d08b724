-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
UPDATE orders SET qty=1, qty=2 WHERE id=1;
INSERT INTO app.orders(qty,qty) VALUES (1,2);
-- expect: 2: column qty is assigned more than once
-- expect: 3: column qty is assigned more than once
