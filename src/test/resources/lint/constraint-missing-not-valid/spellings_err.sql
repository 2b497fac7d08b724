-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE orders ADD CONSTRAINT orders_qty_check CHECK(qty>0);
-- expect: 2: the CHECK is validated under ACCESS EXCLUSIVE; add it NOT VALID and VALIDATE it separately
