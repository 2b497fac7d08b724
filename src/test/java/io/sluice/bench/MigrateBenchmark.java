package io.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.event.MigrateReport;
import io.sluice.migration.Transactionality;
import io.sluice.migration.Script;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/**
 * Migrate speed on long histories, side by side on the same server, a fresh database per run, tools interleaved:
 * psql (one session, one transaction per transactional script: the floor), plain Flyway 12 (its defaults but the
 * transactional lock, without which it hangs on CREATE INDEX CONCURRENTLY), and Sluice. Histories: a generated one
 * with the statement mix teams ship ({@link RealisticHistory}, 600 versions) and 4,400 trivial versions. Goals:
 * Sluice at most 1.05x Flyway, under 1 ms added per script, and the whole run in this JVM's heap, which the README
 * command caps at 256 MB. Run: {@code ./mvnw -q test-compile exec:exec@bench-migrate}
 * ({@code -Dbench.versions=600 -Dbench.trivial=4400 -Dbench.rounds=3}).
 */
public final class MigrateBenchmark {

    private static final int VERSIONS = Integer.getInteger("bench.versions", 600);
    private static final int TRIVIAL = Integer.getInteger("bench.trivial", 4400);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private MigrateBenchmark() {
    }

    record Times(List<Long> psql, List<Long> flyway, List<Long> sluice) {
        Times() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        boolean psql = psqlOnPath();
        ScriptFolder realistic = new ScriptFolder(Files.createTempDirectory("sluice-bench-realistic"));
        int concurrent = RealisticHistory.write(realistic, VERSIONS);
        ScriptFolder trivial = new ScriptFolder(Files.createTempDirectory("sluice-bench-trivial"));
        RealisticHistory.writeTrivial(trivial, TRIVIAL);
        System.out.printf("Histories: %d realistic versions (%d CONCURRENTLY, outside a transaction), %d trivial versions%n",
                VERSIONS, concurrent, TRIVIAL);
        System.out.printf("Heap limit of this JVM: %d MB%n%n", Runtime.getRuntime().maxMemory() / (1024 * 1024));

        Times realisticTimes = run("realistic", realistic, ROUNDS, psql);
        Times trivialTimes = run("trivial", trivial, 1, psql);
        long peakHeap = peakHeapMb();

        System.out.printf("%n%-22s %14s %14s %14s %12s %16s%n", "history (median, min s)", "psql", "plain Flyway", "Sluice",
                "Sluice/Flyway", "Sluice +ms/script");
        print("realistic " + VERSIONS, realisticTimes, VERSIONS, psql);
        print("trivial " + TRIVIAL, trivialTimes, TRIVIAL, psql);
        System.out.printf("%nPeak heap used by this JVM (all tools, both histories): %d MB (goal for Sluice: <= 256 MB)%n", peakHeap);
        double ratio = (double) median(realisticTimes.sluice()) / median(realisticTimes.flyway());
        double perScript = (median(realisticTimes.sluice()) - median(realisticTimes.flyway())) / (double) VERSIONS;
        System.out.printf("Goals on the realistic history: Sluice/Flyway %.2f (<= 1.05) -> %s; added %.2f ms/script (< 1) -> %s%n",
                ratio, ratio <= 1.05 ? "met" : "MISSED", perScript, perScript < 1 ? "met" : "MISSED");
        System.exit(0);
    }

    private static Times run(String label, ScriptFolder scripts, int rounds, boolean psql) throws Exception {
        Times times = new Times();
        for (int round = 1; round <= rounds; round++) {
            if (psql) {
                times.psql().add(timed(() -> migrateWithPsql(PostgresServer.get().newDatabase(), scripts.root())));
            }
            times.flyway().add(timed(() -> migrateWithFlyway(PostgresServer.get().newDatabase(), scripts.root())));
            times.sluice().add(timed(() -> migrateWithSluice(PostgresServer.get().newDatabase(), scripts)));
            System.out.printf("%s round %d: psql %s, plain Flyway %.1f s, Sluice %.1f s%n", label, round,
                    psql ? String.format("%.1f s", last(times.psql()) / 1000.0) : "n/a", last(times.flyway()) / 1000.0,
                    last(times.sluice()) / 1000.0);
        }
        return times;
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private static long timed(Work work) throws Exception {
        System.gc();
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void migrateWithFlyway(TestDatabase db, Path root) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(PostgresServer.APP_USER);
        dataSource.setPassword(PostgresServer.APP_PASSWORD);
        Flyway.configure().dataSource(dataSource).locations("filesystem:" + root)
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false")).load().migrate();
    }

    private static void migrateWithSluice(TestDatabase db, ScriptFolder scripts) {
        MigrateReport report = Sluice.migrate().run(MigrateEvent.against(db
                .target()).migrations(scripts.source()).build(), Duration.ofHours(1));
        if (report.applied().isEmpty()) {
            throw new IllegalStateException("Sluice applied nothing");
        }
    }

    /** One psql session: each transactional script between BEGIN and COMMIT, the others as they are. */
    private static void migrateWithPsql(TestDatabase db, Path root) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = new ArrayList<>(list.filter(file -> file.toString().endsWith(".sql")).toList());
        }
        files.sort((a, b) -> Long.compare(version(a), version(b)));
        StringBuilder all = new StringBuilder("\\set ON_ERROR_STOP on\n");
        for (Path file : files) {
            String sql = Files.readString(file);
            boolean transactional = Transactionality.isTransactional(new Script(file.getFileName().toString(), sql), null);
            all.append(transactional ? "BEGIN;\n" + sql + "\nCOMMIT;\n" : sql + "\n");
        }
        Path combined = Files.createTempFile("sluice-bench", ".sql");
        Files.writeString(combined, all, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-h", "127.0.0.1", "-p", String.valueOf(PostgresServer.get().port()),
                "-U", PostgresServer.APP_USER, "-d", db.name(), "-f", combined.toString()).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PostgresServer.APP_PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("psql failed: " + output);
        }
        Files.delete(combined);
    }

    private static long version(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(1, name.indexOf("__")));
    }

    private static boolean psqlOnPath() {
        try {
            return new ProcessBuilder("psql", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            System.out.println("psql is not on the PATH: the floor column is left out (apt-get install postgresql-client)");
            return false;
        }
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }

    private static void print(String label, Times times, int scripts, boolean psql) {
        System.out.printf("%-22s %14s %14s %14s %12.2f %16.2f%n", label,
                psql ? cell(times.psql()) : "n/a", cell(times.flyway()), cell(times.sluice()),
                (double) median(times.sluice()) / median(times.flyway()),
                (median(times.sluice()) - median(times.flyway())) / (double) scripts);
    }

    private static String cell(List<Long> millis) {
        return String.format("%.1f, %.1f", median(millis) / 1000.0, Collections.min(millis) / 1000.0);
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static long last(List<Long> values) {
        return values.get(values.size() - 1);
    }
}
