package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.canary.ApplicationMetrics;
import io.sluice.error.InvalidRequest;
import io.sluice.event.ApplicationMetric;
import io.sluice.event.CanaryBaseline;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.event.CanaryCounters;
import io.sluice.event.CanaryReport;
import io.sluice.event.CanarySignal;
import io.sluice.event.CanarySignal.Status;
import io.sluice.event.CanaryThresholds;
import io.sluice.event.CanaryVerdict;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/** Each canary signal made real on a real PostgreSQL: rolled-back transactions, a lock wait, a slow probe, an INVALID index. */
class CanaryCommandTest {

    private TestDatabase db;

    @BeforeEach
    void migratedDatabase() {
        db = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
    }

    private CanaryReport check(int stage, CanaryCounters since, CanaryBaseline baseline, CanaryThresholds thresholds,
            List<String> probes) {
        return Sluice.canary().run(new CanaryCheckRequest(null, db.target(), null, stage, since, baseline, thresholds, probes, 3));
    }

    private static CanarySignal signal(CanaryReport report, String check) {
        return report.signals().stream().filter(signal -> signal.check().equals(check)).findFirst().orElseThrow();
    }

    @Test
    void firstCheckOfAQuietDatabase_opensTheWindow_isHealthy_andNamesTheNextStage() {
        CanaryReport report = check(5, null, null, null, null);

        assertThat(report.verdict()).isEqualTo(CanaryVerdict.HEALTHY);
        assertThat(report.nextStage()).isEqualTo(25);
        assertThat(report.windowMs()).isZero();
        assertThat(report.counters().commits()).isPositive();
        assertThat(report.signals()).extracting(CanarySignal::check, CanarySignal::status).containsExactly(
                tuple("error-rate", Status.SKIPPED), tuple("deadlocks", Status.SKIPPED), tuple("probe-p95", Status.SKIPPED),
                tuple("lock-waits", Status.OK), tuple("oldest-transaction", Status.OK), tuple("replication-lag", Status.SKIPPED),
                tuple("connection-usage", Status.OK), tuple("history", Status.OK), tuple("invalid-indexes", Status.OK),
                tuple("sluice-state", Status.OK));
        assertThat(report.alerts()).isEmpty();
    }

    @Test
    void rolledBackTransactionsInTheWindow_failThe25PercentStage() throws Exception {
        CanaryReport first = check(25, null, null, null, null);
        try (Connection application = db.connect(); Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            for (int i = 0; i < 60; i++) {
                statement.execute("SELECT 1");
                application.rollback();
            }
        }
        CanaryReport second = awaitRollbacks(first, 60);

        assertThat(second.verdict()).isEqualTo(CanaryVerdict.FAILED);
        assertThat(second.nextStage()).isNull();
        assertThat(second.windowMs()).isPositive();
        CanarySignal errorRate = signal(second, "error-rate");
        assertThat(errorRate.status()).isEqualTo(Status.FAILED);
        assertThat(errorRate.threshold()).isEqualTo(0.05);
        assertThat(errorRate.value()).isGreaterThan(0.05);
        assertThat(second.alerts().get(0)).startsWith("FAILED error-rate: ").contains("transactions rolled back");
    }

    @Test
    void aFewRollbacksOnAQuietDatabase_areNotJudged_andTheProbesAddNone() throws Exception {
        CanaryReport first = check(25, null, null, null, null);
        try (Connection application = db.connect(); Statement statement = application.createStatement()) {
            application.setAutoCommit(false);
            statement.execute("SELECT 1");
            application.rollback();
        }
        CanaryReport second = awaitRollbacks(first, 1);
        CanaryReport withProbes = check(25, second.counters(), null, null, List.of("SELECT count(*) FROM customers"));
        Thread.sleep(1_000); // the probe's backend reports its counters as it exits
        CanaryReport after = check(25, withProbes.counters(), null, null, null);

        CanarySignal errorRate = signal(second, "error-rate");
        assertThat(errorRate.status()).isEqualTo(Status.SKIPPED);
        assertThat(errorRate.message()).startsWith("too few transactions to judge: ").contains("(1 rolled back), 50 needed");
        assertThat(second.verdict()).isEqualTo(CanaryVerdict.HEALTHY);
        assertThat(after.counters().rollbacks()).as("the probe's read-only transaction commits: it is not an application error")
                .isEqualTo(second.counters().rollbacks());
    }

    /** Statistics reach pg_stat_database when a backend reports them: read until the rollbacks are there. */
    private CanaryReport awaitRollbacks(CanaryReport first, int rollbacks) throws InterruptedException {
        for (int poll = 0; poll < 40; poll++) {
            CanaryReport report = check(25, first.counters(), null, null, null);
            if (report.counters().rollbacks() - first.counters().rollbacks() >= rollbacks) {
                return report;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the rollbacks never reached pg_stat_database");
    }

    @Test
    void sessionWaitingForALock_failsTheStage_whenItWaitsLongerThanAllowed() throws Exception {
        try (Connection holder = db.connect(); Connection waiter = db.connect()) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<?> waiting = CompletableFuture.runAsync(() -> {
                try (Statement statement = waiter.createStatement()) {
                    statement.execute("SELECT count(*) FROM customers");
                } catch (Exception e) {
                    // ends when the holder rolls back
                }
            });
            Thread.sleep(400);

            CanaryReport report = check(5, null, null, new CanaryThresholds(null, null, null, null, null, null, 200L, null, null, null, null), null);
            holder.rollback();
            waiting.join();

            assertThat(report.verdict()).isEqualTo(CanaryVerdict.FAILED);
            assertThat(signal(report, "lock-waits").status()).isEqualTo(Status.FAILED);
            assertThat(signal(report, "lock-waits").value()).isGreaterThanOrEqualTo(200.0);
            assertThat(signal(report, "lock-waits").message()).startsWith("1 lock wait(s), the longest: ");
            assertThat(signal(report, "oldest-transaction").value()).isGreaterThanOrEqualTo(400.0);
        }
    }

    @Test
    void probeSlowerThanTheBaselineAllows_failsEvenUnderTheStageLimit() {
        // A read that takes its time (probes may not sleep: pg_sleep is refused).
        CanaryReport report = check(5, null, new CanaryBaseline(null, 10.0), null,
                List.of("SELECT count(*) FROM generate_series(1, 3000000)"));

        CanarySignal p95 = signal(report, "probe-p95");
        assertThat(p95.status()).isEqualTo(Status.FAILED);
        assertThat(p95.threshold()).as("1.5 x the baseline's 10 ms, below the stage's 200 ms").isEqualTo(15.0);
        assertThat(p95.baseline()).isEqualTo(10.0);
        assertThat(p95.value()).isGreaterThanOrEqualTo(30.0);
        assertThat(p95.message()).as("a slower release is slower twice")
                .matches("p95 of 3 probe run\\(s\\), measured twice \\([0-9.]+ and [0-9.]+ ms\\): the lower: [0-9.]+ ms \\(limit 15\\)");
        assertThat(report.verdict()).isEqualTo(CanaryVerdict.FAILED);
    }

    @Test
    void subMillisecondProbeAboveItsBaselineMultiple_isNoise_notAFailure() {
        CanaryReport report = check(25, null, new CanaryBaseline(null, 0.2), null, List.of("SELECT count(*) FROM customers"));

        CanarySignal p95 = signal(report, "probe-p95");
        assertThat(p95.threshold()).as("the baseline's 0.2 ms plus the 5 ms noise floor, above 1.5 x 0.2 ms").isEqualTo(5.2);
        assertThat(p95.status()).isEqualTo(Status.OK);
    }

    @Test
    void probeThatNoLongerRuns_failsTheStage_namingTheProbe() {
        CanaryReport report = check(5, null, null, null, List.of("SELECT missing_column FROM orders"));

        assertThat(signal(report, "probe-p95").status()).isEqualTo(Status.FAILED);
        assertThat(signal(report, "probe-p95").message()).isEqualTo("probe 1 failed: SQLSTATE 42703 (undefined_column)");
        assertThat(report.verdict()).isEqualTo(CanaryVerdict.FAILED);
        assertThat(signal(report, "history").status()).as("the checks after a failed probe still run").isEqualTo(Status.OK);
    }

    @Test
    void fastProbeWithinItsLimits_isOk() {
        CanaryReport report = check(25, null, new CanaryBaseline(0.0, 50.0), null, List.of("SELECT count(*) FROM customers"));

        assertThat(signal(report, "probe-p95").status()).isEqualTo(Status.OK);
        assertThat(report.verdict()).isEqualTo(CanaryVerdict.HEALTHY);
        assertThat(report.nextStage()).isEqualTo(50);
        assertThat(report.measured().p95Ms()).as("this window, in the shape of a baseline for later stages")
                .isEqualTo(signal(report, "probe-p95").value());
        assertThat(report.measured().errorRate()).as("no window on a first check").isNull();
    }

    @Test
    void invalidIndexLeftByTheRelease_failsTheStage() {
        db.sql("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A'), ('b@example.com', 'A')");
        assertThatThrownBy(() -> db.sql("CREATE UNIQUE INDEX CONCURRENTLY customers_name_key ON customers (full_name)"))
                .hasMessageContaining("could not create unique index");

        CanaryReport report = check(50, null, null, null, null);

        assertThat(signal(report, "invalid-indexes").status()).isEqualTo(Status.FAILED);
        assertThat(signal(report, "invalid-indexes").message()).startsWith("public.customers_name_key on public.customers is INVALID");
        assertThat(report.verdict()).isEqualTo(CanaryVerdict.FAILED);
    }

    @Test
    void probeThatWrites_orSeveralStatements_isRefused() {
        assertThatThrownBy(() -> check(5, null, null, null, List.of("DELETE FROM orders"))).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'probes[0]': DELETE writes: only queries that read reach a live server");
        assertThatThrownBy(() -> check(5, null, null, null, List.of("SELECT 1; DROP TABLE orders"))).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'probes[0]': PostgreSQL's grammar does not read it as one statement: a query is one SELECT,"
                        + " WITH ... SELECT, VALUES or TABLE statement");
        assertThat(check(5, null, null, null, List.of("SELECT count(*) FROM orders; -- a last semicolon is fine")).verdict())
                .isEqualTo(CanaryVerdict.HEALTHY);
    }

    @Test
    void stagesRampAndHold() {
        assertThat(List.of(5, 25, 50, 100)).map(stage -> CanaryCommand.nextStage(stage, CanaryVerdict.HEALTHY))
                .containsExactly(25, 50, 100, null);
        assertThat(CanaryCommand.nextStage(25, CanaryVerdict.DEGRADED)).isEqualTo(25);
        assertThat(CanaryCommand.nextStage(25, CanaryVerdict.FAILED)).isNull();
    }
    @Test
    void applicationMetrics_withoutCloudWatch_areRefused() {
        CanaryCommand canary = new CanaryCommand(Sluice.connector(), ApplicationMetrics.NONE);
        CanaryReport first = check(25, null, null, null, null);
        ApplicationMetric errors = new ApplicationMetric("errors", "Shop", "Errors", null, null, "Requests", 0.01, "ratio");

        assertThatThrownBy(() -> canary.run(new CanaryCheckRequest(null, db.target(), null, 25, first.counters(), null, null, null, null,
                List.of(errors))))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'applicationMetrics': this function has no CloudWatch access configured (sluice.aws.*)");
    }
}
