package io.sluice.testing;

import java.util.Locale;

/**
 * Writes a long migration history with the statement mix teams really ship: tables of 15-30 columns with foreign
 * keys, defaults and checks, plain and (in scripts of their own) CONCURRENTLY built indexes, views over joins,
 * PL/pgSQL functions with dollar-quoted bodies and the triggers that call them, multi-action ALTERs, comments, and
 * data: seeds and backfilling UPDATEs. Deterministic: the same {@code versions} give the same scripts.
 */
public final class RealisticHistory {

    private RealisticHistory() {
    }

    /** Writes {@code V1__...} to {@code V<versions>__...} into {@code folder}; returns how many run outside a transaction. */
    public static int write(ScriptFolder folder, int versions) {
        int concurrent = 0;
        int tables = 0;
        for (int v = 1; v <= versions; v++) {
            int kind = v == 1 ? 0 : v % 10;
            String sql;
            String name;
            if (kind == 0 || tables < 2) {
                tables++;
                name = "create_t" + tables;
                sql = createTable(tables);
            } else if (kind == 1) {
                name = "seed_t" + tables;
                sql = "INSERT INTO t" + tables + " (code, title, amount, status, parent_id)\n"
                        + "SELECT 'C' || g, 'title ' || g, g * 1.5, CASE WHEN g % 3 = 0 THEN 'done' ELSE 'open' END, NULL\n"
                        + "  FROM generate_series(1, 500) g;\n"
                        + "UPDATE t" + tables + " SET note = 'seeded; v" + v + "' WHERE status = 'open';";
            } else if (kind == 2) {
                name = "alter_t" + tables;
                sql = "ALTER TABLE t" + tables + "\n    ADD COLUMN extra_" + v + " text,\n    ADD COLUMN flag_" + v
                        + " boolean NOT NULL DEFAULT false,\n    ALTER COLUMN title SET DEFAULT '',\n    ADD CONSTRAINT t" + tables + "_amount_"
                        + v + " CHECK (amount >= 0) NOT VALID;\n"
                        + "ALTER TABLE t" + tables + " VALIDATE CONSTRAINT t" + tables + "_amount_" + v + ";\n"
                        + "COMMENT ON COLUMN t" + tables + ".extra_" + v + " IS 'added in version " + v + "; free text';";
            } else if (kind == 3) {
                name = "index_t" + tables;
                sql = "CREATE INDEX t" + tables + "_status_" + v + "_idx ON t" + tables + " (status, created_at)\n"
                        + "    WHERE status <> 'done';";
            } else if (kind == 4) {
                name = "view_t" + tables;
                sql = "CREATE OR REPLACE VIEW t" + tables + "_summary AS\n"
                        + "SELECT a.id, a.code, a.title, b.code AS previous_code, coalesce(a.amount, 0) + coalesce(b.amount, 0) AS total\n"
                        + "  FROM t" + tables + " a\n  LEFT JOIN t" + (tables - 1) + " b ON b.id = a.parent_id\n"
                        + " WHERE a.status IN ('open', 'done'); -- the dashboard's view";
            } else if (kind == 5) {
                name = "function_t" + tables;
                sql = "CREATE OR REPLACE FUNCTION t" + tables + "_touch() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                        + "BEGIN\n"
                        + "    NEW.updated_at := now();\n"
                        + "    IF NEW.title IS NULL OR NEW.title = '' THEN\n"
                        + "        NEW.title := 'untitled; v" + v + "';\n"
                        + "    END IF;\n"
                        + "    RETURN NEW;\n"
                        + "END;\n$fn$;\n"
                        + "CREATE TRIGGER t" + tables + "_touch_" + v + " BEFORE UPDATE ON t" + tables + "\n"
                        + "    FOR EACH ROW EXECUTE FUNCTION t" + tables + "_touch();";
            } else if (kind == 6) {
                name = "backfill_t" + tables;
                sql = "UPDATE t" + tables + " SET amount = round(amount * 1.1, 2), note = E'backfilled\\\\nv" + v + "'\n"
                        + " WHERE id % 7 = " + (v % 7) + ";";
            } else if (kind == 7 && v % 40 == 7) {
                concurrent++;
                name = "concurrent_index_t" + tables;
                sql = "CREATE INDEX CONCURRENTLY IF NOT EXISTS t" + tables + "_code_" + v + "_idx ON t" + tables + " (lower(code));";
            } else if (kind == 8) {
                name = "function_" + v;
                sql = "CREATE OR REPLACE FUNCTION total_" + v + "(p_from timestamptz, p_to timestamptz) RETURNS numeric\n"
                        + "LANGUAGE sql STABLE AS $$\n"
                        + "    SELECT coalesce(sum(amount), 0) FROM t" + tables + " WHERE created_at >= p_from AND created_at < p_to;\n"
                        + "$$;\n"
                        + "COMMENT ON FUNCTION total_" + v + "(timestamptz, timestamptz) IS 'sums; used by reports';";
            } else {
                name = "comment_t" + tables;
                sql = "COMMENT ON TABLE t" + tables + " IS 'owned by the orders team, version " + v + "';\n"
                        + "ALTER TABLE t" + tables + " ALTER COLUMN note SET DEFAULT 'n/a';";
            }
            folder.with(String.format(Locale.ROOT, "V%d__%s.sql", v, name), "-- version " + v + "\n" + sql + "\n");
        }
        return concurrent;
    }

    private static String createTable(int n) {
        StringBuilder sql = new StringBuilder("CREATE TABLE t" + n + " (\n")
                .append("    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n")
                .append("    code varchar(40) NOT NULL,\n")
                .append("    title text NOT NULL DEFAULT '',\n")
                .append("    amount numeric(12, 2) CHECK (amount >= 0),\n")
                .append("    status text NOT NULL DEFAULT 'open',\n")
                .append("    note text,\n")
                .append("    attributes jsonb NOT NULL DEFAULT '{}',\n")
                .append("    created_at timestamptz NOT NULL DEFAULT now(),\n")
                .append("    updated_at timestamptz,\n");
        for (int c = 0; c < 8 + n % 12; c++) {
            sql.append("    c").append(c).append(c % 3 == 0 ? " integer DEFAULT 0" : c % 3 == 1 ? " text" : " boolean NOT NULL DEFAULT false")
                    .append(",\n");
        }
        sql.append("    parent_id bigint").append(n > 1 ? " REFERENCES t" + (n - 1) + " (id)" : "").append(",\n")
                .append("    UNIQUE (code)\n);\n")
                .append("CREATE INDEX t").append(n).append("_created_idx ON t").append(n).append(" (created_at);\n")
                .append("COMMENT ON TABLE t").append(n).append(" IS 'table ").append(n).append("';");
        return sql.toString();
    }

    /** {@code versions} trivial scripts: one small table each, so the schema grows with the history. */
    public static void writeTrivial(ScriptFolder folder, int versions) {
        for (int v = 1; v <= versions; v++) {
            folder.with(String.format(Locale.ROOT, "V%d__table_%d.sql", v, v), "CREATE TABLE trivial_" + v + " (id int PRIMARY KEY, label text);\n");
        }
    }
}
