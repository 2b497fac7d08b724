-- findings: the expect lines at the end; names as teams spell them (no blank before a parenthesis, quoted, qualified, ONLY, IF [NOT] EXISTS, a line break)
ALTER TABLE ONLY app.orders ADD COLUMN IF NOT EXISTS token uuid DEFAULT gen_random_uuid();
-- expect: 2: the default of token calls gen_random_uuid(), which PostgreSQL treats as volatile unless it is declared otherwise: app.orders is rewritten
