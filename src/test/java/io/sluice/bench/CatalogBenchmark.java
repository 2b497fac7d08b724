package io.sluice.bench;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.event.SchemaDifference;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * Prints how long a schema snapshot (read from pg_catalog) and a diff take for a generated schema of 1,000
 * tables, each with five columns, a primary key, a foreign key, a CHECK, and two more indexes. Goal: read + diff
 * under one second. Run: {@code ./mvnw -q test-compile exec:exec@bench-catalog}.
 */
public final class CatalogBenchmark {

    private static final int TABLES = Integer.getInteger("tables", 1000);
    private static final int RUNS = Integer.getInteger("runs", 7);

    private CatalogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase db = PostgresServer.get().newDatabase();
        long build = System.nanoTime();
        StringBuilder ddl = new StringBuilder("CREATE SCHEMA bench;\n");
        for (int i = 1; i <= TABLES; i++) {
            ddl.append("CREATE TABLE bench.t").append(i).append(" (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '', qty int")
                    .append(" CHECK (qty >= 0), at timestamptz NOT NULL DEFAULT now(), parent bigint")
                    .append(i > 1 ? " REFERENCES bench.t" + (i - 1) + " (id)" : "").append(");\n")
                    .append("CREATE INDEX t").append(i).append("_name_idx ON bench.t").append(i).append(" (name);\n")
                    .append("CREATE UNIQUE INDEX t").append(i).append("_qty_at_key ON bench.t").append(i).append(" (qty, at);\n");
        }
        db.sql(ddl.toString());
        System.out.printf("Generated %d tables in %d ms%n", TABLES, (System.nanoTime() - build) / 1_000_000);

        CatalogReader reader = new CatalogReader("sluice", false);
        try (Connection connection = db.connect()) {
            Snapshot expected = reader.read(connection);
            System.out.printf("Snapshot: %,d objects, %,d bytes of canonical JSON%n%n", expected.size(), expected.toJson().length());
            db.sql("ALTER TABLE bench.t500 ADD COLUMN extra text; DROP INDEX bench.t42_name_idx;"
                    + " ALTER TABLE bench.t7 ALTER COLUMN qty TYPE bigint");
            Snapshot drifted = reader.read(connection);

            List<Long> reads = time(() -> unchecked(() -> reader.read(connection)));
            List<Long> serialise = time(() -> expected.toJson());
            List<Long> parse = time(() -> Snapshot.fromJson(expected.toJson()));
            List<Long> diffs = time(() -> SchemaDiff.between(expected, drifted));
            List<SchemaDifference> found = SchemaDiff.between(expected, drifted);

            System.out.printf("%-34s %8s %8s %8s%n", "step (" + RUNS + " runs, ms)", "min", "median", "max");
            print("read pg_catalog -> snapshot", reads);
            print("snapshot -> canonical JSON", serialise);
            print("canonical JSON -> snapshot", parse);
            print("diff (" + found.size() + " differences)", diffs);
            long total = median(reads) + median(diffs);
            System.out.printf("%nread + diff, median: %d ms (goal: under 1000 ms) -> %s%n", total, total < 1000 ? "met" : "MISSED");
        }
        System.exit(0);
    }

    private static <T> List<Long> time(Supplier<T> work) {
        work.get();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.get();
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        return millis;
    }

    private static long median(List<Long> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    private static void print(String step, List<Long> sorted) {
        System.out.printf("%-34s %8d %8d %8d%n", step, sorted.get(0), median(sorted), sorted.get(sorted.size() - 1));
    }

    private interface SqlWork<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(SqlWork<T> work) {
        try {
            return work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
