package io.sluice.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateStatus;
import io.sluice.event.MigrationSource;
import io.sluice.event.SchemaName;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * A backfill of many rows beside a running application, side by side in one run: one plain {@code UPDATE} of every
 * row (what a team writes first) and Sluice's batched migration of the same rows in an identical table, each with the
 * same read-write load from a second process (4 clients, each a read-then-write transaction on a random row every
 * 10 ms). Sluice runs with the shipped pacing (200 ms batches, 100 ms pauses) and a gentler one (400 ms pauses), each
 * on a table of its own. Prints rows/s of each, and the load's p50/p99/max latency when idle, during the UPDATE and
 * during the batches. Goals: batched at least 0.5x the UPDATE's rows/s, the load's p99 during it at most 1.5x idle.
 * Run: {@code ./mvnw -q test-compile exec:exec@bench-backfill} ({@code -Dbench.rows=10000000}, about 4 minutes; fewer
 * rows for less; {@code -Dbench.pausesMs=100,400} for other pacings).
 */
public final class BackfillBenchmark {

    private static final long ROWS = Long.getLong("bench.rows", 10_000_000);
    private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 15);
    /** The pauses between batches to run Sluice with, each on a table of its own: the shipped default, and gentler. */
    private static final List<Integer> PAUSES_MS = Stream.of(System.getProperty("bench.pausesMs", "100,400").split(","))
            .map(String::trim).map(Integer::parseInt).toList();

    private BackfillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase db = PostgresServer.get().newDatabase();
        System.out.printf("Backfill benchmark: %,d rows per table, embedded PostgreSQL, %d cores%n", ROWS,
                Runtime.getRuntime().availableProcessors());
        long setup = System.nanoTime();
        db.superuserSql("CREATE SCHEMA app AUTHORIZATION " + PostgresServer.APP_USER);
        List<String> tables = new ArrayList<>(List.of("app.orders_a"));
        for (int i = 0; i < PAUSES_MS.size(); i++) {
            tables.add("app.orders_b" + i);
        }
        for (String table : tables) {
            db.sql("CREATE TABLE " + table + " (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,"
                    + " total numeric(12, 2) NOT NULL, total_cents bigint, note text, created_at timestamptz NOT NULL DEFAULT now())");
            db.sql("INSERT INTO " + table + " (id, customer_id, status, total) SELECT g, g % 100000, (ARRAY['new', 'paid', 'shipped'])[g % 3 + 1],"
                    + " (g % 10000) / 100.0 FROM generate_series(1, " + ROWS + ") g");
            db.sql("VACUUM ANALYZE " + table);
        }
        System.out.printf("  %d tables filled in %.0f s%n", tables.size(), (System.nanoTime() - setup) / 1e9);

        Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LoadProcess.class.getName(), db.jdbcUrl(), PostgresServer.APP_USER,
                PostgresServer.APP_PASSWORD, Long.toString(ROWS), "4", "10").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PrintStream toLoad = new PrintStream(load.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader fromLoad = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
        try {
            toLoad.println("start app.orders_a");
            Thread.sleep(IDLE_SECONDS * 1000L);
            toLoad.println("stop");
            String[] idle = stats(fromLoad);

            toLoad.println("start app.orders_a");
            long started = System.nanoTime();
            db.sql("UPDATE app.orders_a SET total_cents = (total * 100)::bigint");
            double updateSeconds = (System.nanoTime() - started) / 1e9;
            toLoad.println("stop");
            String[] duringUpdate = stats(fromLoad);

            double updateRate = ROWS / updateSeconds;
            double idleP99 = Double.parseDouble(idle[3]);
            List<String> lines = new ArrayList<>();
            List<String> verdicts = new ArrayList<>();
            for (int i = 0; i < PAUSES_MS.size(); i++) {
                String table = "app.orders_b" + i;
                ScriptFolder scripts = new ScriptFolder(Files.createTempDirectory("sluice-bench-backfill"));
                scripts.with("V1__orders_total_cents.sql", "-- sluice:batch table=" + table + " key=id size=5000\n"
                        + "UPDATE " + table + " SET total_cents = (total * 100)::bigint WHERE id > :lo AND id <= :hi;\n");
                MigrateSettings settings = MigrateSettings.defaults().withBackfill(MigrateSettings.BackfillSettings.defaults()
                        .withPauseBetweenBatches(Duration.ofMillis(PAUSES_MS.get(i))));
                db.superuserSql("CREATE SCHEMA bench" + i + " AUTHORIZATION " + PostgresServer.APP_USER);
                toLoad.println("start " + table);
                started = System.nanoTime();
                int invocations = 0;
                MigrateReport report;
                do {
                    report = Sluice.migrate(settings).run(MigrateEvent.against(db.target())
                            .migrations(MigrationSource.parse("filesystem:" + scripts.root())).schema(SchemaName.of("bench" + i)).build(),
                            Duration.ofMinutes(15));
                    invocations++;
                } while (report.status() == MigrateStatus.IN_PROGRESS);
                double batchedSeconds = (System.nanoTime() - started) / 1e9;
                toLoad.println("stop");
                String[] during = stats(fromLoad);
                var progress = report.backfills().get(0);
                double rate = progress.rowsDone() / batchedSeconds;
                lines.add(String.format("  %-34s %,12.0f %10.1f %9s %9s %9s", "Sluice, " + progress.batches() + " batches, pause "
                        + PAUSES_MS.get(i) + " ms", rate, batchedSeconds, during[2], during[3], during[4]));
                verdicts.add(String.format("  pause %d ms: batched/UPDATE rate %.2fx (goal >= 0.5x), load p99 / idle %.2fx (goal <= 1.5x);"
                        + " %d batches in %d invocation(s), %d ms in batches, last size %d, %s load samples", PAUSES_MS.get(i),
                        rate / updateRate, Double.parseDouble(during[3]) / idleP99, progress.batches(), invocations, progress.busyMs(),
                        progress.batchSize(), during[1]));
            }

            System.out.println();
            System.out.printf("  %-34s %12s %10s %9s %9s %9s%n", "", "rows/s", "wall s", "load p50", "load p99", "load max");
            System.out.printf("  %-34s %12s %10s %9s %9s %9s%n", "idle (no backfill)", "-", "-", idle[2], idle[3], idle[4]);
            System.out.printf("  %-34s %,12.0f %10.1f %9s %9s %9s%n", "one UPDATE of every row", updateRate, updateSeconds,
                    duringUpdate[2], duringUpdate[3], duringUpdate[4]);
            lines.forEach(System.out::println);
            System.out.println();
            System.out.printf("  one UPDATE: load p99 / idle %.2fx; %s load samples (idle: %s)%n", Double.parseDouble(duringUpdate[3]) / idleP99,
                    duringUpdate[1], idle[1]);
            verdicts.forEach(System.out::println);
        } finally {
            toLoad.println("quit");
            load.waitFor();
        }
    }

    /** The load process's STATS line: table, count, p50, p99, max. */
    private static String[] stats(BufferedReader fromLoad) throws Exception {
        String line;
        while ((line = fromLoad.readLine()) != null) {
            if (line.startsWith("STATS ")) {
                return line.substring("STATS ".length()).split(" ");
            }
            System.out.println("  load: " + line);
        }
        throw new IllegalStateException("the load process ended");
    }
}
