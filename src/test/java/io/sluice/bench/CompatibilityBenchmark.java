package io.sluice.bench;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.event.CompatibilityReport;
import io.sluice.event.CompatibilityRequest;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The compatibility proof on a long history: a database at version 300 of {@link RealisticHistory} (many-column tables,
 * views, triggers, dollar-quoted functions, multi-action ALTERs, CONCURRENTLY indexes, data updates), a release of 10
 * pending scripts (8 expand, one of which drops a column the application reads; 2 contract) and 300 application queries
 * (joins, aggregates with FILTER and HAVING, CTEs, JSON operators, the history's SQL functions and views, INSERT, UPDATE
 * ... RETURNING, all with {@code $n} parameters). Prints preflight without and with the proof, the scratch build inside
 * it, the PREPAREs of all queries at the three points alone, and what the proof adds beyond the build. Goal: <= 2 s.
 * Run: {@code ./mvnw -q test-compile exec:exec@bench-compatibility} ({@code -Dbench.versions=300 -Dbench.queries=300
 * -Dbench.rounds=3}).
 */
public final class CompatibilityBenchmark {

    private static final int VERSIONS = Integer.getInteger("bench.versions", 300);
    private static final int QUERIES = Integer.getInteger("bench.queries", 300);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private CompatibilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        ScriptFolder scripts = new ScriptFolder(Files.createTempDirectory("sluice-bench-compatibility"));
        RealisticHistory.write(scripts, VERSIONS);
        TestDatabase db = PostgresServer.get().newDatabase();
        long migrated = System.nanoTime();
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).build(), Duration.ofMinutes(10));
        System.out.printf("History: %d versions applied in %d ms%n", VERSIONS, (System.nanoTime() - migrated) / 1_000_000);

        List<String> tables = db.rows("SELECT relname FROM pg_class WHERE relkind = 'r' AND relname ~ '^t[0-9]+$'"
                + " ORDER BY substr(relname, 2)::int");
        List<String> views = db.rows("SELECT relname FROM pg_class WHERE relkind = 'v' AND relname ~ '^t[0-9]+_summary$'"
                + " ORDER BY substr(relname, 2, strpos(relname, '_') - 2)::int");
        List<String> functions = db.rows("SELECT proname FROM pg_proc WHERE proname ~ '^total_[0-9]+$' ORDER BY 1");
        String last = tables.get(tables.size() - 1);
        String broken = tables.get(tables.size() / 2);
        String contracted = tables.get(tables.size() / 3);
        release(scripts, last, broken, contracted);
        List<String> queries = queries(tables, views, functions);
        System.out.printf("Release: 10 pending scripts (8 expand, 2 contract); %d application queries over %d tables, %d views,"
                + " %d functions%n%n", queries.size(), tables.size(), views.size(), functions.size());

        List<Long> without = new ArrayList<>();
        List<Long> with = new ArrayList<>();
        List<Long> build = new ArrayList<>();
        List<Long> check = new ArrayList<>();
        CompatibilityReport report = null;
        for (int round = 0; round < ROUNDS; round++) {
            long started = System.nanoTime();
            Sluice.validate().run(ValidateEvent.against(db.target()).migrations(scripts.source()).preflight());
            without.add((System.nanoTime() - started) / 1_000_000);
            started = System.nanoTime();
            ValidateReport proved = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(scripts.source())
                    .compatibility(new CompatibilityRequest(queries, null, null, null, null, null)).preflight());
            with.add((System.nanoTime() - started) / 1_000_000);
            report = proved.compatibility();
            build.add(report.buildMs());
            check.add(report.checkMs());
        }
        long threePoints = threePoints(db, queries);

        System.out.printf("%-62s %8s%n", "median of " + ROUNDS + " rounds", "ms");
        System.out.printf("%-62s %8d%n", "preflight without the proof", median(without));
        System.out.printf("%-62s %8d%n", "preflight with the proof of " + queries.size() + " queries", median(with));
        System.out.printf("%-62s %8d%n", "  of which: scratch build at version " + VERSIONS + " (the peer: building the version)",
                median(build));
        System.out.printf("%-62s %8d%n", "  of which: 10 scripts one by one, queries prepared after each", median(check));
        System.out.printf("%-62s %8d%n", "PREPARE of every query at three points, alone", threePoints);
        long added = median(with) - median(without) - median(build);
        System.out.printf("%-62s %8d%n", "added by checking, beyond the scratch build", added);
        System.out.printf("%nFound: %d checked, %d compatible, %d broken (%s), %d unchecked%n", report.checked(), report.compatible(),
                report.broken().size(), report.broken().stream().map(b -> b.brokenBy() + " " + b.phase().json()).distinct().toList(),
                report.unchecked().size());
        System.out.printf("Goal: checking adds <= 2000 ms over the scratch build for %d queries -> %s%n", queries.size(),
                added <= 2000 ? "met" : "MISSED");
        System.exit(0);
    }

    /** Ten pending scripts as a release brings them: most expand, one dropping a column read, two contract. */
    private static void release(ScriptFolder scripts, String last, String broken, String contracted) {
        int v = VERSIONS;
        scripts.with("V" + (v + 1) + "__" + last + "_region.sql", "ALTER TABLE " + last + "\n    ADD COLUMN region text,\n"
                + "    ADD COLUMN priority integer NOT NULL DEFAULT 0;\n");
        scripts.with("V" + (v + 2) + "__" + last + "_region_idx.sql", "CREATE INDEX CONCURRENTLY " + last + "_region_idx ON " + last
                + " (region);\n");
        scripts.with("V" + (v + 3) + "__" + last + "_regions_view.sql", "CREATE VIEW " + last + "_regions AS\nSELECT region, count(*)"
                + " AS orders, sum(amount) AS amount\n  FROM " + last + "\n GROUP BY region;\n");
        scripts.with("V" + (v + 4) + "__" + last + "_priority_fn.sql", "CREATE FUNCTION " + last + "_default_priority() RETURNS trigger"
                + " LANGUAGE plpgsql AS $fn$\nBEGIN\n    IF NEW.priority IS NULL THEN\n        NEW.priority := 0;\n    END IF;\n"
                + "    RETURN NEW;\nEND;\n$fn$;\nCREATE TRIGGER " + last + "_default_priority BEFORE INSERT ON " + last
                + "\n    FOR EACH ROW EXECUTE FUNCTION " + last + "_default_priority();\n");
        scripts.with("V" + (v + 5) + "__" + broken + "_drop_note.sql", "ALTER TABLE " + broken + " DROP COLUMN note;\n");
        scripts.with("V" + (v + 6) + "__" + last + "_region_backfill.sql", "UPDATE " + last + " SET region = 'eu' WHERE region IS NULL;\n");
        scripts.with("V" + (v + 7) + "__" + last + "_comments.sql", "COMMENT ON COLUMN " + last + ".region IS 'where the order ships';\n"
                + "COMMENT ON COLUMN " + last + ".priority IS '0 normal, higher first';\n");
        scripts.with("V" + (v + 8) + "__" + last + "_priority_check.sql", "ALTER TABLE " + last + " ADD CONSTRAINT " + last
                + "_priority_check CHECK (priority >= 0) NOT VALID;\nALTER TABLE " + last + " VALIDATE CONSTRAINT " + last
                + "_priority_check;\n");
        scripts.with("V" + (v + 9) + "__" + contracted + "_drop_c2.sql", "-- sluice:phase contract\nALTER TABLE " + contracted
                + " DROP COLUMN c2;\n");
        scripts.with("V" + (v + 10) + "__" + contracted + "_drop_c1.sql", "-- sluice:phase contract\nALTER TABLE " + contracted
                + " DROP COLUMN c1;\n");
    }

    /** {@link #QUERIES} queries of an application over the history's tables, views and functions. */
    private static List<String> queries(List<String> tables, List<String> views, List<String> functions) {
        List<String> queries = new ArrayList<>();
        for (int i = 0; queries.size() < QUERIES; i++) {
            String a = tables.get(1 + i % (tables.size() - 1));
            String parent = tables.get(i % (tables.size() - 1));
            String sql = switch (i % 10) {
                case 0 -> "SELECT id, code, title, amount, attributes FROM " + a + " WHERE id = $1";
                case 1 -> "SELECT a.code, b.code AS parent_code, a.amount + coalesce(b.amount, 0) AS total\n  FROM " + a + " a\n  JOIN "
                        + parent + " b ON b.id = a.parent_id\n WHERE a.status = $1\n ORDER BY a.created_at DESC\n LIMIT $2";
                case 2 -> "SELECT status, count(*), sum(amount), avg(amount) FILTER (WHERE note IS NOT NULL)\n  FROM " + a
                        + "\n WHERE created_at >= $1\n GROUP BY status\nHAVING count(*) > $2";
                case 3 -> "WITH recent AS (\n  SELECT id, parent_id, amount FROM " + a + " WHERE created_at > now() - $1::interval\n)\n"
                        + "SELECT r.id, p.title, r.amount FROM recent r LEFT JOIN " + parent + " p ON p.id = r.parent_id";
                case 4 -> "SELECT id, attributes->>'channel' AS channel, attributes #>> '{address,city}' AS city\n  FROM " + a
                        + " WHERE attributes @> $1::jsonb";
                case 5 -> "SELECT " + functions.get(i % functions.size()) + "($1, $2) AS total_" + i;
                case 6 -> "SELECT id, code, previous_code, total FROM " + views.get(i % views.size()) + " WHERE code = lower($1) LIMIT " + (1 + i);
                case 7 -> "UPDATE " + a + " SET note = $2, updated_at = now() WHERE id = $1 RETURNING id, updated_at";
                case 8 -> "INSERT INTO " + a + " (code, title, amount, status) VALUES ($1, $2, $3, 'open') RETURNING id, created_at";
                default -> "SELECT id, note, c1 FROM " + a + " WHERE lower(code) = lower($1) AND status <> 'done'";
            };
            queries.add(sql);
        }
        return queries;
    }

    /** The PREPAREs alone: every query, three times, on the live database (the schema the scratch one has at first). */
    private static long threePoints(TestDatabase db, List<String> queries) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            for (int point = 0; point < 3; point++) {
                for (String query : queries) {
                    try {
                        statement.execute("PREPARE q AS " + query);
                        statement.execute("DEALLOCATE q");
                    } catch (SQLException e) {
                        // a query that does not prepare costs its round trip all the same
                    }
                }
            }
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

}
