package io.sluice.schemafile;

import java.nio.file.Path;

import io.sluice.testing.ScriptFolder;

/**
 * A history with what teams ship, for the schema file's tests: an enum, identity and serial keys, many columns,
 * foreign keys, CHECK and UNIQUE constraints, a partial index, a dollar-quoted function and its trigger, views (one on
 * another), a materialized view, a data update, and an index built CONCURRENTLY in a script of its own.
 */
final class SchemaHistory {

    private SchemaHistory() {
    }

    static ScriptFolder in(Path root) {
        return new ScriptFolder(root)
                .with("V1__customers.sql", """
                        CREATE TYPE customer_tier AS ENUM ('basic', 'gold', 'platinum');
                        CREATE TABLE customers (
                            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                            email text NOT NULL,
                            full_name text NOT NULL,
                            tier customer_tier NOT NULL DEFAULT 'basic',
                            country char(2),
                            created_at timestamptz NOT NULL DEFAULT now(),
                            CONSTRAINT customers_email_key UNIQUE (email)
                        );
                        """)
                .with("U1__customers.sql", "DROP TABLE customers;\nDROP TYPE customer_tier;\n")
                .with("V2__orders.sql", """
                        CREATE TABLE orders (
                            id bigserial PRIMARY KEY,
                            customer_id bigint NOT NULL REFERENCES customers (id),
                            status text NOT NULL DEFAULT 'new',
                            total numeric(12, 2) NOT NULL CHECK (total >= 0),
                            note varchar(200),
                            placed_at timestamptz NOT NULL DEFAULT now(),
                            updated_at timestamptz NOT NULL DEFAULT now()
                        );
                        CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status <> 'shipped';
                        CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                          NEW.updated_at := now();
                          RETURN NEW;
                        END $$;
                        CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
                        """)
                .with("U2__orders.sql", "DROP TABLE orders;\nDROP FUNCTION touch_updated_at();\n")
                .with("V3__order_customer_index.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\n")
                .with("U3__order_customer_index.sql", "DROP INDEX CONCURRENTLY orders_customer_idx;\n")
                .with("V4__reporting.sql", """
                        CREATE VIEW open_orders AS SELECT o.id, o.customer_id, o.total FROM orders o WHERE o.status <> 'shipped';
                        CREATE VIEW open_order_totals AS SELECT customer_id, sum(total) AS total FROM open_orders GROUP BY customer_id;
                        CREATE MATERIALIZED VIEW tier_counts AS SELECT tier, count(*) AS customers FROM customers GROUP BY tier;
                        UPDATE customers SET tier = 'gold' WHERE email LIKE '%@example.com';
                        """)
                .with("U4__reporting.sql", "DROP MATERIALIZED VIEW tier_counts;\nDROP VIEW open_order_totals;\nDROP VIEW open_orders;\n");
    }
}
