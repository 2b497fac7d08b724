-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN public_id text DEFAULT random_string(26);
ALTER TABLE orders ADD COLUMN reference text NOT NULL DEFAULT app.next_reference() REFERENCES refs (code);
ALTER TABLE orders ADD COLUMN seq bigint DEFAULT nextval('orders_seq');
-- expect: 2: the default of public_id calls random_string(), which PostgreSQL treats as volatile unless it is declared otherwise: orders is rewritten
-- expect: 3: the default of reference calls app.next_reference(), which PostgreSQL treats as volatile unless it is declared otherwise: orders is rewritten
-- expect: 4: the default of seq calls nextval(), which PostgreSQL treats as volatile unless it is declared otherwise: orders is rewritten
