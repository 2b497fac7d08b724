package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.sql.SqlText;

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
 * @param probes       the application's critical reads, each run {@code probeRuns} times read-only for the p95
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
        for (String probe : probes) {
            if (probe == null || probe.isBlank() || probe.length() > MAX_PROBE_LENGTH || !isOneRead(probe)) {
                throw new InvalidRequest("field 'probes' holds '" + Echo.value(probe) + "': each probe is one SELECT (or WITH ..."
                        + " SELECT) of at most " + MAX_PROBE_LENGTH + " characters; they run read-only");
            }
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

    /** One statement that reads: the probes run in a READ ONLY transaction anyway, this keeps mistakes out early. */
    private static boolean isOneRead(String sql) {
        var statements = SqlText.split(sql);
        if (statements.size() != 1) {
            return false;
        }
        String shape = SqlText.shape(statements.get(0).text());
        return shape.startsWith("SELECT ") || shape.startsWith("WITH ") || shape.startsWith("VALUES ") || shape.startsWith("TABLE ");
    }

    @Override
    public CanaryCheckRequest withDatabase(DatabaseTarget replacement) {
        return new CanaryCheckRequest(deploymentId, replacement, schema, stage, since, baseline, thresholds, probes, probeRuns,
                applicationMetrics);
    }
}
