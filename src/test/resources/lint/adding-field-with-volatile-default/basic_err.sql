-- findings: the expect lines at the end
ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seen_at timestamptz NOT NULL DEFAULT clock_timestamp();
-- expect: 2: the default of token calls gen_random_uuid(), which PostgreSQL treats as volatile unless it is declared otherwise: orders is rewritten
-- expect: 3: the default of seen_at calls clock_timestamp(), which PostgreSQL treats as volatile unless it is declared otherwise: orders is rewritten
