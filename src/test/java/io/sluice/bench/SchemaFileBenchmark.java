package io.sluice.bench;

import static io.sluice.bench.MigrateBenchmark.last;
import static io.sluice.bench.MigrateBenchmark.median;
import static io.sluice.bench.MigrateBenchmark.migrateWithFlyway;


import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;


import io.sluice.event.FileLocation;
import io.sluice.event.SchemaFileReport;
import io.sluice.event.ValidateReport;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The schema as a file on the 600-version generated history with the statement mix teams ship
 * ({@link RealisticHistory}): {@code export} (the history built in a scratch database, read, written as
 * {@code schema.sql}) and preflight's {@code schemaFile} check (the history built, the file run in a second scratch
 * database, both read and compared), each beside its peer: plain Flyway migrating the same history into an empty
 * database, the build both of them need. Medians of {@code -Dbench.rounds} (default 3).
 */
public final class SchemaFileBenchmark {

    private static final int VERSIONS = Integer.getInteger("bench.versions", 600);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private SchemaFileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        ScriptFolder history = new ScriptFolder(Files.createTempDirectory("sluice-bench-schema"));
        int concurrent = RealisticHistory.write(history, VERSIONS);
        System.out.printf("History: %d realistic versions (%d CONCURRENTLY)%n", VERSIONS, concurrent);
        List<Long> flyway = new ArrayList<>();
        List<Long> export = new ArrayList<>();
        List<Long> exportBuild = new ArrayList<>();
        List<Long> check = new ArrayList<>();
        List<Long> checkBuild = new ArrayList<>();
        List<Long> checkFile = new ArrayList<>();
        SchemaFileReport exported = null;
        Path file = Files.createTempFile("schema", ".sql");
        for (int round = 1; round <= ROUNDS; round++) {
            long started = System.nanoTime();
            migrateWithFlyway(PostgresServer.get().newDatabase(), history.root());
            flyway.add(millis(started));

            TestDatabase db = PostgresServer.get().newDatabase();
            started = System.nanoTime();
            ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source()).export());
            export.add(millis(started));
            exported = report.schemaFile();
            exportBuild.add(exported.buildMs());
            Files.writeString(file, exported.sql(), StandardCharsets.UTF_8);

            started = System.nanoTime();
            ValidateReport checked = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source())
                    .schemaFile(FileLocation.parse("filesystem:" + file)).preflight());
            check.add(millis(started));
            checkBuild.add(checked.schemaFile().buildMs());
            checkFile.add(checked.schemaFile().fileMs());
            if (!Boolean.TRUE.equals(checked.schemaFile().equal())) {
                throw new IllegalStateException("the exported file does not describe its own history: " + checked.schemaFile().differences());
            }
            System.out.printf("round %d: plain Flyway %.1f s; export %.1f s (build %.1f s); check %.1f s (build %.1f s, file %.1f s)%n", round,
                    last(flyway) / 1000.0, last(export) / 1000.0, last(exportBuild) / 1000.0, last(check) / 1000.0,
                    last(checkBuild) / 1000.0, last(checkFile) / 1000.0);
        }
        System.out.printf("%nschema.sql of %d versions: %d objects, %,d bytes, sha256 %s%n", VERSIONS, exported.objects(),
                exported.sql().getBytes(StandardCharsets.UTF_8).length, exported.sha256().substring(0, 16));
        System.out.printf("%-40s %10s%n", "median of " + ROUNDS + " rounds", "wall");
        System.out.printf("%-40s %9.1f s%n", "plain Flyway: the history into an empty db", median(flyway) / 1000.0);
        System.out.printf("%-40s %9.1f s   (its scratch build %.1f s: %.2f x Flyway's)%n", "Sluice export (history -> schema.sql)",
                median(export) / 1000.0, median(exportBuild) / 1000.0, (double) median(export) / median(flyway));
        System.out.printf("%-40s %9.1f s   (build %.1f s, file run %.1f s: %.2f x Flyway's)%n", "Sluice check (schema.sql vs history)",
                median(check) / 1000.0, median(checkBuild) / 1000.0, median(checkFile) / 1000.0, (double) median(check) / median(flyway));
        System.exit(0);
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
