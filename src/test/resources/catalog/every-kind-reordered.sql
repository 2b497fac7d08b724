-- The same schema as every-kind.sql, created in another order (dependencies allowing).
CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA app;
CREATE TABLE app.notes (id int PRIMARY KEY, body text);
CREATE SEQUENCE app.ticket_seq START 100 INCREMENT 5;
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed_at := now(); RETURN NEW; END $$;
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TYPE app.money_pair AS (amount numeric(12,2), currency char(3));
CREATE DOMAIN app.positive_int AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE app.customers (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    email       text NOT NULL,
    name        text COLLATE "C",
    mood        app.mood DEFAULT 'ok',
    score       app.positive_int,
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED
);
CREATE POLICY customers_self ON app.customers FOR SELECT USING (email = current_user);
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
ALTER TABLE app.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
CREATE TABLE app.orders (
    id          bigserial,
    customer_id bigint NOT NULL,
    total       numeric(12,2) NOT NULL,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    during      tstzrange
);
CREATE INDEX orders_double_total_idx ON app.orders ((total * 2));
CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.orders ADD CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&);
ALTER TABLE app.orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers (id) ON DELETE RESTRICT;
ALTER TABLE app.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
CREATE INDEX orders_placed_idx ON app.orders (placed_at) WHERE total > 0;
CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id, sum(total) AS total FROM app.orders GROUP BY customer_id;
CREATE VIEW app.big_orders AS SELECT id, total FROM app.orders WHERE total > 100;
CREATE VIEW app.big_order_count AS SELECT count(*) AS orders FROM app.big_orders;
CREATE TYPE app.level AS ENUM ('low', 'high');
CREATE DOMAIN app.short_text AS text CHECK (length(VALUE) < 10);
CREATE VIEW app.event_days AS SELECT DISTINCT at FROM app.events;
CREATE SEQUENCE app.spare_seq;
