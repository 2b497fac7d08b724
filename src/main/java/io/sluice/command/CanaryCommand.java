package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sluice.canary.ApplicationMetrics;
import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryChecks;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Counters;
import io.sluice.canary.ReadinessSignals;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.ApplicationMetric;
import io.sluice.event.CanaryBaseline;
import io.sluice.event.CanaryCheckRequest;
import io.sluice.event.CanaryCounters;
import io.sluice.event.CanaryReport;
import io.sluice.event.CanaryThresholds;
import io.sluice.event.CanarySignal;
import io.sluice.event.CanaryVerdict;
import io.sluice.event.SchemaName;
import io.sluice.event.Timeout;
import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseHealth;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.SessionSettings;
import io.sluice.probe.ProbeSession;
import io.sluice.probe.ProbeSessions;
import io.sluice.roles.OwnRoles;

/**
 * Judges one canary stage from the database's own signals over the window the workflow defines (the counters the
 * previous check returned to now; nothing here sleeps): every check runs, the worst signal decides the verdict,
 * and the result says which stage comes next.
 */
@ApplicationScoped
public class CanaryCommand {

    private static final Logger LOG = Logger.getLogger(CanaryCommand.class);
    /** The stages of the rollout, in percent of traffic. */
    static final List<Integer> STAGES = List.of(5, 25, 50, 100);
    /** Reads only; probes and catalog queries give up rather than stall the check. */
    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(2)),
            Timeout.of(Duration.ofSeconds(10)));

    private final DatabaseConnector connector;
    private final ApplicationMetrics applicationMetrics;
    private final List<CanaryCheck> checks;
    private final ReadinessSignals readiness;
    private final SchemaName stateSchema;
    private final ProbeSessions probeSessions;

    @Inject
    public CanaryCommand(DatabaseConnector connector, ApplicationMetrics applicationMetrics, DatabaseHealth health, SchemaCatalog catalog,
            OwnRoles roles) {
        this(connector, applicationMetrics, CanaryChecks.all(), health, catalog.store().stateSchema(), roles);
    }

    /** With the readiness checks run without CDI, against the default state schema, probes as this process's probe role. */
    public CanaryCommand(DatabaseConnector connector, ApplicationMetrics applicationMetrics) {
        this(connector, applicationMetrics, CanaryChecks.all());
    }

    public CanaryCommand(DatabaseConnector connector, ApplicationMetrics applicationMetrics, List<CanaryCheck> checks) {
        this(connector, applicationMetrics, checks, DatabaseHealth.direct(), SchemaName.of(SluiceConfig.DEFAULT_STATE_SCHEMA),
                OwnRoles.LOCAL);
    }

    private CanaryCommand(DatabaseConnector connector, ApplicationMetrics applicationMetrics, List<CanaryCheck> checks,
            DatabaseHealth health, SchemaName stateSchema, OwnRoles roles) {
        this.probeSessions = new ProbeSessions(connector, roles);
        this.connector = connector;
        this.applicationMetrics = applicationMetrics;
        this.checks = List.copyOf(checks);
        this.readiness = new ReadinessSignals(health);
        this.stateSchema = stateSchema;
    }

    public CanaryReport run(CanaryCheckRequest request) {
        long started = System.nanoTime();
        try (Connection connection = connector.openReusing(request.database(), Duration.ofSeconds(60))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_ONLY.initSql());
            }
            CanaryCounters now = Counters.read(connection);
            CanaryCounters since = request.since();
            if (since != null && (since.readAtMs() > now.readAtMs() || since.commits() > now.commits())) {
                throw new InvalidRequest("field 'since' is not from an earlier check of this database (its counters are ahead"
                        + " of the database's; a restart resets them): start a new window without it");
            }
            List<CanarySignal> signals = new ArrayList<>();
            CanaryThresholds limits = request.thresholds().forStage(request.stage());
            try (ProbeSession probes = request.probes().isEmpty() ? null : probeSessions.open(request.database(), request.schema())) {
                CanaryContext context = new CanaryContext(connection, request.schema(), now, since, limits, request.baseline(),
                        request.probes(), request.probeRuns(), probes);
                for (CanaryCheck check : checks) {
                    signals.add(check.run(context));
                }
            }
            // The database's readiness, as the health function reports it, with this stage's connection limit.
            signals.addAll(readiness.read(new CheckedDatabase(connection, null, request.database().displayUrl(), request.schema(),
                    stateSchema, limits.maxConnectionShare())));
            signals.addAll(applicationSignals(request, since, now));
            CanaryVerdict verdict = verdict(signals);
            List<String> alerts = signals.stream()
                    .filter(signal -> signal.status() == CanarySignal.Status.FAILED || signal.status() == CanarySignal.Status.DEGRADED)
                    .sorted(Comparator.comparing(signal -> signal.status() == CanarySignal.Status.FAILED ? 0 : 1))
                    .map(signal -> signal.status() + " " + signal.check() + ": " + signal.message())
                    .toList();
            LOG.infof("canary stage %d%%: %s%s", request.stage(), verdict, alerts.isEmpty() ? "" : " (" + Echo.line(String.join("; ", alerts)) + ")");
            return new CanaryReport(request.deploymentId(), request.stage(), verdict, now,
                    since == null ? 0 : now.readAtMs() - since.readAtMs(), signals, alerts, measured(signals),
                    nextStage(request.stage(), verdict),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        }
    }

    /**
     * The application's own metrics over the same window, one signal each ({@code app:<id>}); without a window (a first
     * check) there is nothing to read yet.
     */
    private List<CanarySignal> applicationSignals(CanaryCheckRequest request, CanaryCounters since, CanaryCounters now) {
        List<ApplicationMetric> metrics = request.applicationMetrics();
        if (metrics.isEmpty()) {
            return List.of();
        }
        if (since == null) {
            return metrics.stream().map(metric -> CanarySignal.skipped(metric.check(), "a first check opens the window")).toList();
        }
        Map<String, Double> values = applicationMetrics.read(metrics, Instant.ofEpochMilli(since.readAtMs()),
                Instant.ofEpochMilli(now.readAtMs()));
        List<CanarySignal> signals = new ArrayList<>();
        for (ApplicationMetric metric : metrics) {
            Double value = values.get(metric.id());
            String what = metric.namespace() + " " + metric.metric() + (metric.per() == null ? " " + metric.statistic() : " per " + metric.per());
            signals.add(value == null
                    ? CanarySignal.skipped(metric.check(), what + ": no datapoints in the window")
                    : CanarySignal.measured(metric.check(), value, metric.unit(), metric.max(), null, what));
        }
        return signals;
    }

    /** The window's error rate and p95 as a baseline for the stages after it (null where not measured). */
    private static CanaryBaseline measured(List<CanarySignal> signals) {
        Double errorRate = null;
        Double p95 = null;
        for (CanarySignal signal : signals) {
            if (signal.check().equals("error-rate")) {
                errorRate = signal.value();
            } else if (signal.check().equals("probe-p95")) {
                p95 = signal.value();
            }
        }
        return new CanaryBaseline(errorRate, p95);
    }

    private static CanaryVerdict verdict(List<CanarySignal> signals) {
        if (signals.stream().anyMatch(signal -> signal.status() == CanarySignal.Status.FAILED)) {
            return CanaryVerdict.FAILED;
        }
        return signals.stream().anyMatch(signal -> signal.status() == CanarySignal.Status.DEGRADED) ? CanaryVerdict.DEGRADED
                : CanaryVerdict.HEALTHY;
    }

    /** Healthy: the next stage (null after 100); degraded: hold this one; failed: none, roll back. */
    static Integer nextStage(int stage, CanaryVerdict verdict) {
        return switch (verdict) {
            case FAILED -> null;
            case DEGRADED -> stage;
            case HEALTHY -> STAGES.stream().filter(next -> next > stage).findFirst().orElse(null);
        };
    }
}
