package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.LockTimeout;
import io.sluice.event.SchemaName;
import io.sluice.migration.FlywayInternals;
import io.sluice.event.LockRetry;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.event.MigrationSource;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

class MigrateLockingTest {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(300);

    private TestDatabase db;

    @BeforeEach
    void newDatabase() {
        db = PostgresServer.get().newDatabase();
    }

    private MigrateRequest request(MigrationSource source) {
        return MigrateEvent.against(db.target()).migrations(source).build();
    }

    @Test
    void migrationBlockedByAnOpenTransaction_triesOnceBriefly_thenWaitsUnqueued_andSucceedsOnceTheBlockerCommits(@TempDir Path dir)
            throws Exception {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts SELECT generate_series(1, 100);");
        Sluice.migrate().run(request(folder.source()), Duration.ofMinutes(1));
        folder.with("V2__add_note.sql", "ALTER TABLE accounts ADD COLUMN note text;");

        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicBoolean migrating = new AtomicBoolean(true);
        AtomicLong slowestRead = new AtomicLong();
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("SELECT count(*) FROM accounts"); // holds ACCESS SHARE until commit
            }
            Future<MigrateReport> migration = pool.submit(() -> Sluice.migrate(MigrateSettings.defaults()
                    .withLockTimeout(LOCK_TIMEOUT).withLockRetryBudget(Duration.ofSeconds(30)))
                    .run(request(folder.source()), Duration.ofMinutes(1)));
            Future<?> reader = pool.submit(() -> readContinuously(migrating, slowestRead));

            Thread.sleep(2_500);
            blocker.commit();
            MigrateReport report = migration.get(30, TimeUnit.SECONDS);
            migrating.set(false);
            reader.get(10, TimeUnit.SECONDS);

            assertThat(report.status()).isEqualTo(MigrateStatus.MIGRATED);
            // One short try queued behind the blocker; then Sluice watched pg_locks, unqueued, until the blocker was gone.
            assertThat(report.lockRetries()).singleElement().satisfies(retry -> {
                assertThat(retry.script()).isEqualTo("V2__add_note.sql");
                assertThat(retry.attempt()).isEqualTo(1);
                assertThat(retry.detail()).contains("lock timeout");
                assertThat(retry.backoffMs()).as("waited unqueued for the blocker").isGreaterThan(retry.waitedMs());
            });
            assertThat(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'note'"))
                    .containsExactly("1");
            // The blocker held its lock for 2.5 s; a reader queued behind the migration waited one short try at most.
            assertThat(slowestRead.get()).isLessThan(1_500);
        } finally {
            migrating.set(false);
            pool.shutdownNow();
        }
    }

    private void readContinuously(AtomicBoolean running, AtomicLong slowest) {
        try (Connection reader = db.connect(); Statement statement = reader.createStatement()) {
            while (running.get()) {
                long start = System.nanoTime();
                statement.execute("SELECT count(*) FROM accounts");
                slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void blockerThatOutlastsTheRetryBudget_failsWithLockTimeout_andAppliesNothingOfTheScript(@TempDir Path dir) throws Exception {
        ScriptFolder folder = new ScriptFolder(dir).with("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY);");
        Sluice.migrate().run(request(folder.source()), Duration.ofMinutes(1));
        folder.with("V2__two_steps.sql", "CREATE TABLE audit (id int); ALTER TABLE accounts ADD COLUMN note text;");

        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("LOCK TABLE accounts IN ACCESS SHARE MODE");

            assertThatThrownBy(() -> Sluice.migrate(MigrateSettings.defaults().withLockTimeout(Duration.ofMillis(200))
                    .withLockRetryBudget(Duration.ofSeconds(1))).run(request(folder.source()), Duration.ofMinutes(1)))
                    .isInstanceOf(LockTimeout.class)
                    .hasMessageContaining("V2__two_steps.sql could not get its locks in 1 tries")
                    .hasMessageContaining("still held by pid ")
                    .hasMessageContaining("last query: LOCK TABLE accounts IN ACCESS SHARE MODE")
                    .hasMessageContaining("rolled back");
            blocker.rollback();
        }
        assertThat(db.tableExists("audit")).isFalse();
        assertThat(db.history()).containsExactly("1|V1__accounts.sql|t");
    }

    @Test
    void flywaysOwnLockHeldByAnOrphanedBackend_givesLockTimeoutNamingIt_withinTheConfiguredWait() throws Exception {
        try (Connection orphan = db.connect(); Statement statement = orphan.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + FlywayInternals.lockKey(SchemaName.PUBLIC) + ")");
            int pid = Integer.parseInt(db.rows("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1").get(0));
            long started = System.nanoTime();

            assertThatThrownBy(() -> Sluice.migrate(MigrateSettings.defaults().withMigrationLockWait(Duration.ofSeconds(1)))
                    .run(request(MigrationSource.DEFAULT), Duration.ofMinutes(1)))
                    .isInstanceOf(LockTimeout.class)
                    .hasMessageStartingWith("Flyway's lock on the history of schema public is held by backend pid " + pid)
                    .hasMessageContaining("last query: SELECT pg_advisory_lock(")
                    .hasMessageContaining("end it with SELECT pg_terminate_backend(" + pid + ")");
            // Flyway alone would have tried for about 50 s.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void eightParallelInvocations_applyEachVersionExactlyOnce() throws Exception {
        int invocations = 8;
        ExecutorService pool = Executors.newFixedThreadPool(invocations);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<MigrateReport>> results = new ArrayList<>();
            for (int i = 0; i < invocations; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return Sluice.migrate().run(request(MigrationSource.DEFAULT), Duration.ofMinutes(2));
                }));
            }
            start.countDown();
            List<MigrateStatus> statuses = new ArrayList<>();
            for (Future<MigrateReport> result : results) {
                statuses.add(result.get(2, TimeUnit.MINUTES).status());
            }

            assertThat(statuses).filteredOn(status -> status == MigrateStatus.MIGRATED).hasSize(1);
            assertThat(statuses).filteredOn(status -> status == MigrateStatus.UP_TO_DATE).hasSize(invocations - 1);
            assertThat(db.rows("SELECT version, count(*) FROM flyway_schema_history GROUP BY version ORDER BY version"))
                    .containsExactly("1|1", "2|1", "3|1", "4|1");
            assertThat(db.rows("SELECT count(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherInvocationHoldingTheMigrationLockTooLong_givesLockTimeoutNamingTheHolder() throws Exception {
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(hashtext('sluice.migrate'), hashtext('public'))");
            MigrateSettings settings = MigrateSettings.defaults().withMigrationLockWait(Duration.ofMillis(800));

            assertThatThrownBy(() -> Sluice.migrate(settings).run(request(MigrationSource.DEFAULT), Duration.ofMinutes(1)))
                    .isInstanceOf(LockTimeout.class)
                    .hasMessageContaining("another invocation has been migrating schema 'public'")
                    .hasMessageContaining("backend pid");
        }
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }
}
