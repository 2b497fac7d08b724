package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;
import io.sluice.sql.QueryGate;

/**
 * The {@code canary-check} event: read the database's health over the window since the last check, for one stage of
 * the canary rollout.
 *
 * @param deploymentId correlation id; generated when absent
 * @param database     the database to read (required)
 * @param schema       the schema Flyway manages (for the INVALID-index and history checks); {@code public} when absent
 * @param stage        the share of traffic on the new release, in percent (required, 1-100)
 * @param since        the counters the previous check returned; absent on the first check of a window
 * @param baseline     the signals read before the release
 * @param thresholds   limits for this stage; defaults by stage when absent
 * @param probes       the application's critical reads, each run {@code probeRuns} times for the p95 as the deployment's
 *                     probe role, read-only: each one query as PostgreSQL's grammar reads it ({@link QueryGate}), calling no
 *                     function the live server resolves as VOLATILE
 * @param probeRuns    how often each probe runs (default 5, at most 100)
 * @param applicationMetrics the application's own CloudWatch metrics, each judged over the window as {@code app:<id>}
 *                     (at most 10; ids unique)
 */
@RegisterForReflection
public record CanaryCheckRequest(
        DeploymentId deploymentId,
        DatabaseTarget database,
        SchemaName schema,
        Integer stage,
        CanaryCounters since,
        CanaryBaseline baseline,
        CanaryThresholds thresholds,
        List<String> probes,
        Integer probeRuns,
        List<ApplicationMetric> applicationMetrics) implements Request {

    private static final int MAX_PROBES = 20;
    private static final int MAX_PROBE_LENGTH = 4_000;
    private static final int MAX_APPLICATION_METRICS = 10;
    public CanaryCheckRequest {
        deploymentId = DeploymentId.orGenerate(deploymentId);
        database = DatabaseTarget.required(database);
        schema = schema == null ? SchemaName.PUBLIC : schema;
        if (stage == null || stage < 1 || stage > 100) {
            throw new InvalidRequest("field 'stage' is required: the share of traffic on the new release, 1-100 (percent)");
        }
        thresholds = thresholds == null ? CanaryThresholds.NONE : thresholds;
        probes = probes == null ? List.of() : List.copyOf(probes);
        if (probes.size() > MAX_PROBES) {
            throw new InvalidRequest("field 'probes' holds more than " + MAX_PROBES + " queries");
        }
        for (int i = 0; i < probes.size(); i++) {
            checkProbe(probes.get(i), "probes[" + i + "]");
        }
        if (probeRuns != null && (probeRuns < 1 || probeRuns > 100)) {
            throw new InvalidRequest("field 'probeRuns' must be 1-100");
        }
        probeRuns = probeRuns == null ? 5 : probeRuns;
        if (applicationMetrics != null && applicationMetrics.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidRequest("field 'applicationMetrics' holds a null entry");
        }
        applicationMetrics = applicationMetrics == null ? List.of() : List.copyOf(applicationMetrics);
        if (applicationMetrics.size() > MAX_APPLICATION_METRICS) {
            throw new InvalidRequest("field 'applicationMetrics' names more than " + MAX_APPLICATION_METRICS + " metrics");
        }
        if (applicationMetrics.stream().map(ApplicationMetric::id).distinct().count() != applicationMetrics.size()) {
            throw new InvalidRequest("field 'applicationMetrics' uses an id twice: each names its own signal");
        }
    }

    /** The same check without the application metrics (the readiness check reads the database only). */
    public CanaryCheckRequest(DeploymentId deploymentId, DatabaseTarget database, SchemaName schema, Integer stage,
            CanaryCounters since, CanaryBaseline baseline, CanaryThresholds thresholds, List<String> probes, Integer probeRuns) {
        this(deploymentId, database, schema, stage, since, baseline, thresholds, probes, probeRuns, null);
    }

    /**
     * A probe runs against the live database: one query as PostgreSQL's grammar reads it, that only reads
     * ({@link QueryGate}); what it calls is checked against the live server when it runs.
     */
    public static void checkProbe(String probe, String field) {
        if (probe == null || probe.isBlank() || probe.length() > MAX_PROBE_LENGTH) {
            throw new InvalidRequest("field '" + field + "' must be a query of 1-" + MAX_PROBE_LENGTH + " characters");
        }
        QueryGate.check(probe.strip().replaceAll(";\\s*$", ""), field, QueryGate.Use.LIVE);
    }

    @Override
    public CanaryCheckRequest withDatabase(DatabaseTarget replacement) {
        return new CanaryCheckRequest(deploymentId, replacement, schema, stage, since, baseline, thresholds, probes, probeRuns,
                applicationMetrics);
    }
}
