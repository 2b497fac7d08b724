package io.sluice.bench;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.event.MigrateReport;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/**
 * The lock queue, measured: 50 readers query a table; a transaction holds ACCESS SHARE on it for 20 s; meanwhile
 * {@code ALTER TABLE ... ADD COLUMN} is migrated, once by plain Flyway (its defaults: no lock_timeout) and once by
 * Sluice, each on a fresh database. Prints, side by side, the longest a reader waited and the reader-seconds
 * stalled (the time readers spent beyond 10 ms per query). Goals: Sluice's longest stall at most 200 ms and its
 * reader-seconds at most 5 % of Flyway's. Run: {@code ./mvnw -q test-compile exec:exec@bench-locks}
 * ({@code -Dbench.blockSeconds=20 -Dbench.readers=50} to change the scenario).
 */
public final class LockQueueBenchmark {

    private static final int READERS = Integer.getInteger("bench.readers", 50);
    private static final int BLOCK_SECONDS = Integer.getInteger("bench.blockSeconds", 20);
    private static final long NORMAL_QUERY_MS = 10;
    private static final int ROWS = 100_000;

    private LockQueueBenchmark() {
    }

    /** What the readers saw while one tool migrated. */
    record Outcome(String tool, long maxStallMs, double readerSecondsStalled, long queries, long migrateMs) {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.out.printf("Lock queue: %d readers, a transaction holding ACCESS SHARE for %d s, ALTER TABLE ... ADD COLUMN%n%n",
                READERS, BLOCK_SECONDS);
        Outcome flyway = run("plain Flyway", LockQueueBenchmark::migrateWithFlyway);
        Outcome sluice = run("Sluice", LockQueueBenchmark::migrateWithSluice);

        System.out.printf("%n%-14s %16s %24s %10s %12s%n", "tool", "max stall (ms)", "reader-seconds stalled", "queries",
                "migrate (s)");
        for (Outcome outcome : List.of(flyway, sluice)) {
            System.out.printf("%-14s %16d %24.1f %10d %12.1f%n", outcome.tool(), outcome.maxStallMs(), outcome.readerSecondsStalled(),
                    outcome.queries(), outcome.migrateMs() / 1000.0);
        }
        double share = flyway.readerSecondsStalled() == 0 ? 0 : 100 * sluice.readerSecondsStalled() / flyway.readerSecondsStalled();
        System.out.printf("%nSluice: max stall %d ms (goal <= 200 ms) -> %s; reader-seconds %.1f%% of plain Flyway's (goal <= 5%%) -> %s%n",
                sluice.maxStallMs(), sluice.maxStallMs() <= 200 ? "met" : "MISSED", share, share <= 5 ? "met" : "MISSED");
        System.exit(0);
    }

    @FunctionalInterface
    interface Migration {
        void migrate(TestDatabase db, ScriptFolder scripts) throws Exception;
    }

    private static Outcome run(String tool, Migration migration) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder scripts = new ScriptFolder(Files.createTempDirectory("sluice-bench-locks"))
                .with("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL, balance numeric(12, 2)"
                        + " NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());\n"
                        + "INSERT INTO accounts (id, owner, balance) SELECT g, 'owner ' || g, g % 1000 FROM generate_series(1, " + ROWS + ") g;");
        migration.migrate(db, scripts);
        scripts.with("V2__accounts_note.sql", "ALTER TABLE accounts ADD COLUMN note text;");

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong maxStall = new AtomicLong();
        AtomicLong stalledMicros = new AtomicLong();
        AtomicLong queries = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try (Connection blocker = db.connect()) {
            List<Future<?>> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                readers.add(pool.submit(() -> read(db, reading, maxStall, stalledMicros, queries)));
            }
            Thread.sleep(1_000);
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT count(*) FROM accounts");
            }
            long started = System.nanoTime();
            Future<?> migrating = pool.submit(() -> {
                migration.migrate(db, scripts);
                return null;
            });
            Thread.sleep(BLOCK_SECONDS * 1_000L);
            blocker.commit();
            migrating.get(5, TimeUnit.MINUTES);
            long migrateMs = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(1_000);
            reading.set(false);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
            Outcome outcome = new Outcome(tool, maxStall.get(), stalledMicros.get() / 1e6, queries.get(), migrateMs);
            System.out.printf("%-14s done: migrate %.1f s, longest reader wait %d ms%n", tool, migrateMs / 1000.0, maxStall.get());
            return outcome;
        } finally {
            reading.set(false);
            pool.shutdownNow();
        }
    }

    private static void read(TestDatabase db, AtomicBoolean reading, AtomicLong maxStall, AtomicLong stalledMicros, AtomicLong queries) {
        try (Connection connection = db.connect();
                PreparedStatement query = connection.prepareStatement("SELECT owner, balance FROM accounts WHERE id = ?")) {
            while (reading.get()) {
                query.setLong(1, ThreadLocalRandom.current().nextLong(1, ROWS + 1));
                long start = System.nanoTime();
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                }
                long micros = (System.nanoTime() - start) / 1_000;
                queries.incrementAndGet();
                maxStall.accumulateAndGet(micros / 1_000, Math::max);
                stalledMicros.addAndGet(Math.max(0, micros - NORMAL_QUERY_MS * 1_000));
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flyway as a team runs it out of the box: its defaults, no lock_timeout. */
    private static void migrateWithFlyway(TestDatabase db, ScriptFolder scripts) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(PostgresServer.APP_USER);
        dataSource.setPassword(PostgresServer.APP_PASSWORD);
        Flyway.configure().dataSource(dataSource).locations("filesystem:" + scripts.root()).load().migrate();
    }

    private static void migrateWithSluice(TestDatabase db, ScriptFolder scripts) {
        MigrateReport report = Sluice.migrate().run(MigrateEvent.against(db
                .target()).migrations(scripts.source()).build(), Duration.ofMinutes(5));
        if (!report.lockRetries().isEmpty()) {
            System.out.printf("Sluice lock tries: %s%n", report.lockRetries());
        }
    }
}
