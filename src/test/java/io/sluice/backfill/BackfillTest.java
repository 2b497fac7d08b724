package io.sluice.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.command.MigrateCommand;
import io.sluice.error.SluiceException;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.BackfillPlan;
import io.sluice.event.BackfillProgress;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.LintFinding;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackRequest;
import io.sluice.event.RollbackStatus;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.MigrateInAnotherProcess;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * Batched data migrations on a real PostgreSQL: across invocations, across a killed JVM and a terminated backend,
 * beside an application that keeps writing. Every row must be changed exactly once: the statement counts.
 */
class BackfillTest {

    private static final int ROWS = 20_000;

    @TempDir
    Path dir;

    private TestDatabase db;
    private ScriptFolder scripts;

    @BeforeEach
    void release() {
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir)
                .with("V1__items.sql", "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, doubled bigint, note text);\n"
                        + "INSERT INTO items (id) SELECT g FROM generate_series(1, " + ROWS + ") g;\n")
                .with("U1__items.sql", "DROP TABLE items;\n")
                .with("V2__fill_doubled.sql", """
                        -- sluice:batch table=items key=id size=500
                        -- each row costs some work, so that 20,000 rows take a few seconds and a batch can be caught running
                        UPDATE items SET n = n + 1, doubled = id * 2
                         WHERE id > :lo AND id <= :hi AND (SELECT count(*) FROM generate_series(1, 1000 + id % 2)) > 0;
                        """)
                .with("U2__fill_doubled.sql", "UPDATE items SET doubled = NULL;\n")
                .with("V3__doubled_required.sql", "ALTER TABLE items ALTER COLUMN doubled SET NOT NULL;\n")
                .with("U3__doubled_required.sql", "ALTER TABLE items ALTER COLUMN doubled DROP NOT NULL;\n");
    }

    private MigrateRequest request() {
        return MigrateEvent.against(db.target()).migrations(scripts.source()).build();
    }

    private static MigrateCommand migrate() {
        return Sluice.migrate(MigrateSettings.defaults().withBackfill(MigrateSettings.BackfillSettings.defaults()
                .withTargetBatchDuration(Duration.ofMillis(100))));
    }

    /**
     * Invocations of 0.7 s until V2's batches have started: the first of a cold JVM may spend its budget before any
     * batch. The report of the one that made progress.
     */
    private MigrateReport startedBackfill() {
        for (int invocation = 0; invocation < 10; invocation++) {
            MigrateReport report = migrate().run(request(), Duration.ofMillis(1_700));
            if (!report.backfills().isEmpty() && report.backfills().get(0).rowsDone() > 0) {
                return report;
            }
        }
        throw new AssertionError("ten invocations of 0.7 s and V2's batches never started");
    }

    private void assertEveryRowChangedExactlyOnce() {
        assertThat(db.rows("SELECT n, count(*) FROM items GROUP BY n")).containsExactly("1|" + ROWS);
        assertThat(db.rows("SELECT count(*) FROM items WHERE doubled IS DISTINCT FROM id * 2")).containsExactly("0");
    }

    @Test
    void backfillLongerThanAnInvocation_returnsInProgress_resumesFromItsKey_andIsAppliedWhenItsLastBatchCommits() {
        // The table and its 20,000 rows first, so that every timed invocation spends its budget on batches however
        // loaded the machine is.
        migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).target(TargetVersion.parse("1")).build(),
                Duration.ofMinutes(1));
        List<MigrateReport> reports = new ArrayList<>();
        // 0.7 s per invocation (1 s is kept in reserve): a few batches each.
        do {
            reports.add(migrate().run(request(), Duration.ofMillis(1_700)));
            if (reports.size() == 1) {
                assertThat(db.history()).as("V2 is not applied while its batches run").containsExactly("1|V1__items.sql|t");
            }
        } while (reports.get(reports.size() - 1).status() == MigrateStatus.IN_PROGRESS && reports.size() < 30);

        assertThat(reports.size()).as("invocations").isGreaterThanOrEqualTo(3);
        // The first invocation of a cold JVM may spend its budget before any batch (then it reports no rows, as the
        // test of a backfill stopped before its first batch holds): the first that made progress.
        MigrateReport first = reports.stream().filter(report -> report.backfills().get(0).rowsDone() > 0).findFirst().orElseThrow();
        assertThat(first.status()).isEqualTo(MigrateStatus.IN_PROGRESS);
        assertThat(first.applied()).as("V2 is applied with its last batch").isEmpty();
        assertThat(first.stopReason()).startsWith("the time budget ran out (the Lambda deadline less sluice.migrate.deadline-reserve);"
                + " stopped between batches (V2__fill_doubled.sql at ");
        BackfillProgress started = first.backfills().get(0);
        assertThat(started.finished()).isFalse();
        assertThat(started.rowsDone()).isPositive().isLessThan(ROWS);
        assertThat(started.lastKey()).isEqualTo(started.rowsDone());
        assertThat(started.upperKey()).isEqualTo(ROWS);
        assertThat(started.estimatedRemainingMs()).isPositive();
        MigrateReport last = reports.get(reports.size() - 1);
        assertThat(last.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(last.applied()).extracting(AppliedScript::script).containsExactly("V2__fill_doubled.sql", "V3__doubled_required.sql");
        BackfillProgress done = last.backfills().get(0);
        assertThat(done.finished()).isTrue();
        assertThat(done.rowsDone()).isEqualTo(ROWS);
        assertThat(done.invocations()).isEqualTo(reports.size());
        assertThat(done.percentDone()).isEqualTo(100.0);
        assertEveryRowChangedExactlyOnce();
        assertThat(db.history()).containsExactly("1|V1__items.sql|t", "2|V2__fill_doubled.sql|t", "3|V3__doubled_required.sql|t");
        MigrateReport again = migrate().run(request(), Duration.ofMinutes(1));
        assertThat(again.status()).as("Flyway accepts the history row Sluice wrote (name, checksum)").isEqualTo(MigrateStatus.UP_TO_DATE);
    }

    @Test
    void backfillStoppedBeforeItsFirstBatch_reportsNoEstimate_andTheNextInvocationDoesTheWork() {
        // A batch is expected to take 10 minutes: no budget leaves room for even one.
        MigrateCommand slowBatches = Sluice.migrate(MigrateSettings.defaults().withBackfill(MigrateSettings.BackfillSettings.defaults()
                .withTargetBatchDuration(Duration.ofMinutes(10))));

        MigrateReport stopped = slowBatches.run(request(), Duration.ofMinutes(1));

        assertThat(stopped.status()).isEqualTo(MigrateStatus.IN_PROGRESS);
        BackfillProgress none = stopped.backfills().get(0);
        assertThat(none.rowsDone()).isZero();
        assertThat(none.batches()).isZero();
        assertThat(none.lastKey()).isNull();
        assertThat(none.percentDone()).isEqualTo(0.0);
        assertThat(none.estimatedRemainingMs()).as("nothing timed yet").isNull();
        assertThat(none.finished()).isFalse();
        assertThat(db.history()).containsExactly("1|V1__items.sql|t");
        assertThat(migrate().run(request(), Duration.ofMinutes(5)).status()).isEqualTo(MigrateStatus.MIGRATED);
        assertEveryRowChangedExactlyOnce();
    }

    @Test
    void jvmKilledDuringTheBackfill_resumes_andEveryRowIsChangedExactlyOnce() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MigrateInAnotherProcess.class.getName(), db.jdbcUrl(),
                scripts.root().toString()).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        awaitBatches(5);

        child.destroyForcibly(); // SIGKILL: no hook runs, the batch in flight dies with its connection
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitNoBatchRunning();
        long doneBeforeKill = Long.parseLong(db.rows("SELECT rows_done FROM sluice.backfill_progress").get(0));
        assertThat(doneBeforeKill).isPositive().isLessThan(ROWS);
        assertThat(db.rows("SELECT count(*) FROM items WHERE n = 1")).as("the progress row and the rows committed together")
                .containsExactly(Long.toString(doneBeforeKill));

        MigrateReport resumed = migrate().run(request(), Duration.ofMinutes(2));

        assertThat(resumed.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(resumed.backfills().get(0).invocations()).isEqualTo(2);
        assertThat(resumed.applied()).extracting(AppliedScript::script).containsExactly("V2__fill_doubled.sql", "V3__doubled_required.sql");
        assertEveryRowChangedExactlyOnce();
    }

    @Test
    void backendTerminatedMidBatch_failsThatInvocation_andTheNextResumesWithoutRepeatingARow() throws Exception {
        AtomicBoolean terminated = new AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                awaitBatches(3);
                for (int poll = 0; poll < 400 && !terminated.get(); poll++) {
                    terminated.set(!db.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'active'"
                            + " AND query LIKE 'UPDATE items SET n = n + 1%'").isEmpty());
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();

        assertThatThrownBy(() -> migrate().run(request(), Duration.ofMinutes(2))).isInstanceOf(SluiceException.class);
        killer.join();
        assertThat(terminated).isTrue();
        assertThat(db.history()).containsExactly("1|V1__items.sql|t");

        MigrateReport resumed = migrate().run(request(), Duration.ofMinutes(2));

        assertThat(resumed.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertEveryRowChangedExactlyOnce();
    }

    @Test
    void applicationWritingDuringTheBackfill_isNeverBlockedLongerThanAboutOneBatch() throws Exception {
        migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).target(TargetVersion.parse("1")).build(),
                Duration.ofMinutes(1));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong longestMs = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        Thread application = new Thread(() -> {
            try (Connection connection = db.connect();
                    PreparedStatement write = connection.prepareStatement("UPDATE items SET note = 'touched' WHERE id = ?")) {
                while (running.get()) {
                    write.setLong(1, ThreadLocalRandom.current().nextLong(1, ROWS + 1));
                    long started = System.nanoTime();
                    write.executeUpdate();
                    longestMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                    writes.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        application.start();

        MigrateReport report = migrate().run(request(), Duration.ofMinutes(2));
        running.set(false);
        application.join();

        assertThat(report.status()).isEqualTo(MigrateStatus.MIGRATED);
        BackfillProgress done = report.backfills().get(0);
        long averageBatchMs = done.busyMs() / done.batches();
        assertThat(done.busyMs()).as("long enough to matter").isGreaterThan(500);
        assertThat(writes.get()).isGreaterThan(100);
        assertThat(longestMs.get()).as("the longest write (ms), against a batch of about %d ms", averageBatchMs)
                .isLessThan(averageBatchMs * 3 + 100);
        assertEveryRowChangedExactlyOnce();
    }

    @Test
    void malformedDeclaration_isRefusedBeforeAnythingChanges() {
        scripts.with("V2__fill_doubled.sql", "-- sluice:batch table=items key=id size=1000\nUPDATE items SET n = n + 1 WHERE id > :lo;\n");

        assertThatThrownBy(() -> migrate().run(request(), Duration.ofMinutes(1))).isInstanceOf(ValidationFailed.class)
                .hasMessage("V2__fill_doubled.sql is a batched script: its statement must use :lo and :hi (the batch's key range, e.g."
                        + " WHERE id > :lo AND id <= :hi) and no other parameter; found :lo");
        assertThat(db.tableExists("items")).isFalse();
    }

    private void awaitBatches(int batches) throws InterruptedException {
        for (int poll = 0; poll < 600; poll++) {
            boolean started = db.rows("SELECT 1 FROM pg_tables WHERE schemaname = 'sluice' AND tablename = 'backfill_progress'").size() == 1;
            if (started && !db.rows("SELECT batches FROM sluice.backfill_progress WHERE batches >= " + batches).isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the backfill never reached " + batches + " batches");
    }

    private void awaitNoBatchRunning() throws InterruptedException {
        for (int poll = 0; poll < 250; poll++) {
            if (db.rows("SELECT 1 FROM pg_stat_activity WHERE query LIKE 'UPDATE items SET n = n + 1%' AND state <> 'idle'").isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the killed JVM's batch is still running");
    }

    private RollbackReport rollbackTo(String version) {
        return Sluice.rollback().run(new RollbackRequest(null, db.target(), scripts.source(), null, null, TargetVersion.parse(version),
                "test", "tester", false, null, null), Duration.ofMinutes(2));
    }

    @Test
    void planAndPreflight_showTheBatches_andABackfillInProgress() {
        migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).target(TargetVersion.parse("1")).build(),
                Duration.ofMinutes(1));
        db.sql("ANALYZE items");

        MigrateReport plan = migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).dryRun(true).build(),
                Duration.ofMinutes(1));
        assertThat(plan.plan().get(0).backfill()).isEqualTo(new BackfillPlan("items", "id", 500, 20_000L, 40L, 0));
        assertThat(plan.plan().get(1).backfill()).isNull();

        startedBackfill();
        ValidateReport preflight = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(scripts.source()).preflight());
        Finding inProgress = preflight.findings().stream().filter(finding -> finding.code() == FindingCode.BACKFILL_IN_PROGRESS)
                .findFirst().orElseThrow();
        assertThat(inProgress.severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(inProgress.script()).isEqualTo("V2__fill_doubled.sql");
        assertThat(inProgress.message()).startsWith("its batches have started and not finished: ").contains(" rows done; the next migrate"
                + " resumes after the last committed batch");
        assertThat(preflight.pending().get(0).backfill().rowsDone()).isPositive().isLessThan(ROWS);
        assertThat(preflight.lint().findings()).as("the batched script parses and lints clean; V3's SET NOT NULL is flagged")
                .extracting(LintFinding::script, LintFinding::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("V3__doubled_required.sql", "setting-not-nullable-field"));
        assertThat(preflight.lint().unparsed()).isZero();
    }

    @Test
    void rollbackOfAnUnfinishedBackfill_runsItsUndo_andForgetsItsProgress() {
        MigrateReport started = startedBackfill();
        assertThat(started.status()).isEqualTo(MigrateStatus.IN_PROGRESS);

        RollbackReport report = rollbackTo("1");

        assertThat(report.status()).isEqualTo(RollbackStatus.ROLLED_BACK);
        assertThat(report.undone()).extracting(AppliedScript::script).containsExactly("U2__fill_doubled.sql");
        assertThat(db.rows("SELECT count(*) FROM items WHERE doubled IS NOT NULL")).containsExactly("0");
        assertThat(db.rows("SELECT count(*) FROM sluice.backfill_progress")).containsExactly("0");
        assertThat(db.history()).containsExactly("1|V1__items.sql|t");
    }

    @Test
    void rollbackThroughAFinishedBackfill_runsItsBatchedUndoInBatches() {
        scripts.with("U2__fill_doubled.sql", "-- sluice:batch table=items key=id size=2000\n"
                + "UPDATE items SET doubled = NULL WHERE id > :lo AND id <= :hi;\n");
        assertThat(migrate().run(request(), Duration.ofMinutes(2)).status()).isEqualTo(MigrateStatus.MIGRATED);

        RollbackReport report = rollbackTo("1");

        assertThat(report.status()).isEqualTo(RollbackStatus.ROLLED_BACK);
        assertThat(report.undone()).extracting(AppliedScript::script).containsExactly("U3__doubled_required.sql", "U2__fill_doubled.sql");
        assertThat(db.rows("SELECT count(*) FROM items WHERE doubled IS NOT NULL")).containsExactly("0");
        assertThat(db.rows("SELECT count(*) FROM sluice.backfill_progress")).as("the version's and its undo's rows are gone")
                .containsExactly("0");
        assertThat(db.history()).containsExactly("1|V1__items.sql|t");
    }
}
