package io.sluice.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;

/**
 * PostgreSQL's grammar on the statements migrations are made of: every statement of a generated history with the
 * real mix (wide tables, partial and expression indexes, views, PL/pgSQL functions and triggers, multi-action ALTERs,
 * seeds and backfills) and the DDL forms real histories hold beyond it; and statements PostgreSQL rejects, rejected.
 */
class PostgresGrammarTest {

    @Test
    void everyStatementOfARealisticHistory_isAccepted(@TempDir Path dir) throws Exception {
        RealisticHistory.write(new ScriptFolder(dir), 300);
        List<String> rejected = new ArrayList<>();
        int statements = 0;
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                for (SqlStatement statement : SqlText.split(Files.readString(file))) {
                    statements++;
                    if (!PostgresGrammar.accepts(statement.text())) {
                        rejected.add(file.getFileName() + ": " + statement.text());
                    }
                }
            }
        }

        assertThat(statements).isGreaterThan(550);
        assertThat(rejected).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit()",
        "CREATE INDEX orders_status_idx ON orders USING btree (status) WHERE status <> 'done'",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON public.orders (lower(code)) INCLUDE (id)",
        "CREATE INDEX CONCURRENTLY ON orders (status)",
        "REINDEX INDEX CONCURRENTLY orders_status_idx",
        "VACUUM (VERBOSE, ANALYZE) orders",
        "ALTER TABLE orders DETACH PARTITION orders_2020 CONCURRENTLY",
        "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped')",
        "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' BEFORE 'shipped'",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app; END IF; END $$",
        "GRANT SELECT, INSERT ON orders TO app",
        "CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public",
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID",
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk",
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2) USING total::numeric(14,2)",
        "ALTER TABLE orders DROP COLUMN a, DROP COLUMN b, DROP COLUMN IF EXISTS c",
        "CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) FROM orders GROUP BY 1 WITH NO DATA",
        "REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals",
        "CREATE SEQUENCE IF NOT EXISTS invoice_no START 1000",
        "ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
        "CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at)",
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
        "ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01)",
        "CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant')::bigint)",
        "ALTER TABLE orders ENABLE ROW LEVEL SECURITY",
        "SET lock_timeout = '2s'",
        "INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        "WITH moved AS (DELETE FROM queue WHERE done RETURNING *) INSERT INTO archive SELECT * FROM moved",
        "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$",
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN NEW.at := now(); RETURN NEW; END; $body$",
        "ALTER INDEX orders_status_idx RENAME TO orders_state_idx",
        "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)",
        "DROP FUNCTION IF EXISTS f(int)",
        "ALTER TABLE orders ADD COLUMN tags text[] NOT NULL DEFAULT '{}'",
        "ALTER TABLE orders ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', note)) STORED",
        "ALTER TABLE orders ALTER COLUMN name TYPE pg_catalog.varchar(100)",
        "UPDATE orders SET note = E'line\\\\nnext' WHERE id = 1",
        "COMMENT ON COLUMN orders.note IS 'free text; never parsed'",
    })
    void ordinaryMigrationForms_areAccepted(String statement) {
        assertThat(PostgresGrammar.accepts(statement)).as(statement).isTrue();
        assertThat(PostgresGrammar.accepts(statement + ";")).as(statement + ";").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE TABLE (id bigint)",
        "ALTER TABLE orders ADD",
        "SELEC 1",
        "DROP TABLE orders orders",
        "CREATE INDEX ON",
        "UPDATE orders SET WHERE id = 1",
        "ALTER TABLE orders ALTER COLUMN total TYPE",
        "INSERT INTO orders VALUES (1, 'unterminated)",
    })
    void whatPostgresqlRejects_isRejected(String statement) {
        assertThat(PostgresGrammar.accepts(statement)).as(statement).isFalse();
    }
}
