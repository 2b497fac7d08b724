package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.event.AppliedScript;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.migration.StopSignal;
import io.sluice.testing.MigrateInAnotherProcess;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/** A migrate stops between scripts, never inside one, when its time runs out or the process is told to stop. */
class MigrateStopTest {

    private TestDatabase db;
    private ScriptFolder scripts;

    @BeforeEach
    void threeScriptsTheSecondSlow(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);")
                .with("V2__b_slowly.sql", "SELECT pg_sleep(3);\nCREATE TABLE b (id int);")
                .with("V3__c.sql", "CREATE TABLE c (id int);");
    }

    @AfterEach
    void noShutdownLeftOver() {
        StopSignal.clearShutdown();
    }

    private MigrateRequest request() {
        return MigrateEvent.against(db.target()).migrations(scripts.source()).build();
    }

    @Test
    void timeBudgetRunningOutMidRun_stopsBeforeTheNextScript_returnsInProgress_andTheNextInvocationGoesOn() {
        // Deadline = time left less the reserve: 2 s from now. V1 and V2 start before it, V3 would start after it.
        MigrateReport first = Sluice.migrate(MigrateSettings.defaults()).run(request(), Duration.ofSeconds(3));

        assertThat(first.status()).isEqualTo(MigrateStatus.IN_PROGRESS);
        assertThat(first.applied()).extracting(AppliedScript::script).containsExactly("V1__a.sql", "V2__b_slowly.sql");
        assertThat(first.versionAfter()).isEqualTo("2");
        assertThat(first.stopReason()).startsWith("the time budget ran out").endsWith("stopped before V3__c.sql");
        assertThat(db.history()).containsExactly("1|V1__a.sql|t", "2|V2__b_slowly.sql|t");
        assertThat(db.rows("SELECT version FROM sluice.schema_snapshot ORDER BY id")).containsExactly("0", "2");
        assertThat(db.rows("SELECT sha256 FROM sluice.schema_snapshot WHERE version = '2'")).containsExactly(first.snapshotSha256());

        MigrateReport second = Sluice.migrate().run(request(), Duration.ofMinutes(1));

        assertThat(second.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(second.applied()).extracting(AppliedScript::script).containsExactly("V3__c.sql");
    }

    @Test
    void timeBudgetAlreadySpent_appliesNothing_andSaysSo() {
        MigrateReport report = Sluice.migrate(MigrateSettings.defaults()).run(request(), Duration.ofMillis(500));

        assertThat(report.status()).isEqualTo(MigrateStatus.IN_PROGRESS);
        assertThat(report.applied()).isEmpty();
        assertThat(report.stopReason()).endsWith("stopped before V1__a.sql");
        assertThat(db.tableExists("a")).isFalse();
    }

    @Test
    void shutdownRequestedWhileAScriptRuns_letsItFinish_stopsBeforeTheNext_andReleasesTheLock() throws Exception {
        CompletableFuture<MigrateReport> running = CompletableFuture.supplyAsync(
                () -> Sluice.migrate().run(request(), Duration.ofMinutes(1)));
        awaitSleepingScript();

        StopSignal.requestShutdown();
        MigrateReport report = running.get(30, TimeUnit.SECONDS);
        StopSignal.clearShutdown();

        assertThat(report.status()).isEqualTo(MigrateStatus.IN_PROGRESS);
        assertThat(report.applied()).extracting(AppliedScript::script).containsExactly("V1__a.sql", "V2__b_slowly.sql");
        assertThat(report.stopReason()).isEqualTo("the process is shutting down (SIGTERM); stopped before V3__c.sql");
        assertThat(db.rows("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).containsExactly("0");
        assertThat(Sluice.migrate().run(request(), Duration.ofMinutes(1)).applied()).extracting(AppliedScript::script)
                .containsExactly("V3__c.sql");
    }

    @Test
    void realSigtermToTheProcess_stopsBetweenScripts_andRecordsWhereItStopped(@TempDir Path logs) throws Exception {
        Path log = logs.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MigrateInAnotherProcess.class.getName(), db.jdbcUrl(),
                scripts.root().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitSleepingScript();

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(java.nio.file.Files.readString(log)).doesNotContain("RESULT MIGRATED");
        assertThat(db.history()).containsExactly("1|V1__a.sql|t", "2|V2__b_slowly.sql|t");
        assertThat(db.tableExists("c")).isFalse();
        assertThat(db.rows("SELECT version FROM sluice.schema_snapshot ORDER BY id")).containsExactly("0", "2");
        assertThat(db.rows("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).containsExactly("0");
    }

    private void awaitSleepingScript() throws InterruptedException {
        for (int poll = 0; poll < 200; poll++) {
            if (!db.rows("SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%' AND state = 'active'").isEmpty()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("V2 never started");
    }
}
