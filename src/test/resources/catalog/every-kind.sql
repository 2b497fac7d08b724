-- One object of every kind the catalog reader models. Built in this order by CatalogTest; the
-- reordered twin, every-kind-reordered.sql, must give the same snapshot bytes.
CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.positive_int AS integer CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE app.money_pair AS (amount numeric(12,2), currency char(3));
CREATE SEQUENCE app.ticket_seq START 100 INCREMENT 5;
CREATE TABLE app.customers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL,
    name        text COLLATE "C",
    mood        app.mood DEFAULT 'ok',
    score       app.positive_int,
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
    CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE app.orders (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES app.customers (id) ON DELETE RESTRICT,
    total       numeric(12,2) NOT NULL CHECK (total >= 0),
    placed_at   timestamptz NOT NULL DEFAULT now(),
    during      tstzrange,
    CONSTRAINT orders_no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE INDEX orders_placed_idx ON app.orders (placed_at) WHERE total > 0;
CREATE INDEX orders_double_total_idx ON app.orders ((total * 2));
CREATE TABLE app.events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE VIEW app.big_orders AS SELECT id, total FROM app.orders WHERE total > 100;
CREATE VIEW app.big_order_count AS SELECT count(*) AS orders FROM app.big_orders;
CREATE MATERIALIZED VIEW app.order_totals AS SELECT customer_id, sum(total) AS total FROM app.orders GROUP BY customer_id;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed_at := now(); RETURN NEW; END $$;
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY customers_self ON app.customers FOR SELECT USING (email = current_user);
CREATE TABLE app.notes (id int PRIMARY KEY, body text);
CREATE TYPE app.level AS ENUM ('low', 'high');
CREATE DOMAIN app.short_text AS text CHECK (length(VALUE) < 10);
CREATE VIEW app.event_days AS SELECT DISTINCT at FROM app.events;
CREATE SEQUENCE app.spare_seq;
