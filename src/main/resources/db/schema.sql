-- schema.sql, written by Sluice: the schema in dependency order, without owners, grants or settings.
-- The same schema always gives the same file; Sluice compares it with the schema the migrations produce.

CREATE SCHEMA IF NOT EXISTS public;

CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog VERSION '1.0';

CREATE TABLE public.customers (created_at timestamp with time zone DEFAULT now() NOT NULL, email text NOT NULL, full_name text NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY NOT NULL);

CREATE TABLE public.orders (customer_id bigint NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY NOT NULL, placed_at timestamp with time zone DEFAULT now() NOT NULL, status text DEFAULT 'new'::text NOT NULL, total numeric(12,2) NOT NULL);

ALTER TABLE public.customers ADD CONSTRAINT customers_email_key UNIQUE (email);

ALTER TABLE public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

ALTER TABLE public.orders ADD CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric));

CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);

CREATE INDEX orders_status_idx ON public.orders USING btree (status);

ALTER TABLE public.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id);

CREATE VIEW public.customer_order_totals AS
SELECT c.id AS customer_id,
    c.email,
    count(o.id) AS orders,
    COALESCE(sum(o.total), 0::numeric) AS total_spent
   FROM customers c
     LEFT JOIN orders o ON o.customer_id = c.id
  GROUP BY c.id, c.email;
