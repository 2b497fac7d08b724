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
 * @param probes       the application's critical reads, each run {@code probeRuns} times read-only for the p95: each
 *                     one statement as PostgreSQL reads it, a query, calling no function with side effects
 * @param probeRuns    how often each probe runs (default 5, at most 100)
 * @param probeRole    the role the probes run as ({@code SET LOCAL ROLE}): one that may only read what they read
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
        RoleName probeRole,
        List<ApplicationMetric> applicationMetrics) implements Request {

    private static final int MAX_PROBES = 20;
    private static final int MAX_PROBE_LENGTH = 4_000;
    private static final int MAX_APPLICATION_METRICS = 10;
    /**
     * Functions a read-only transaction lets through that act beyond reading: settings (its own time limit among them),
     * other sessions, locks, files, other servers, notifications, sequences, the server itself.
     */
    private static final List<String> SIDE_EFFECTS = List.of("set_config", "pg_terminate_backend", "pg_cancel_backend",
            "pg_reload_conf", "pg_rotate_logfile", "pg_promote", "pg_notify", "nextval", "setval", "pg_switch_wal",
            "pg_create_restore_point", "pg_log_backend_memory_contexts");
    private static final List<String> SIDE_EFFECT_PREFIXES = List.of("pg_advisory_", "pg_try_advisory_", "dblink", "lo_", "pg_read_",
            "pg_ls_", "pg_stat_file", "pg_sleep", "pg_file_");

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

    /** The same check without the application metrics or a probe role (the readiness check reads the database only). */
    public CanaryCheckRequest(DeploymentId deploymentId, DatabaseTarget database, SchemaName schema, Integer stage,
            CanaryCounters since, CanaryBaseline baseline, CanaryThresholds thresholds, List<String> probes, Integer probeRuns) {
        this(deploymentId, database, schema, stage, since, baseline, thresholds, probes, probeRuns, null, null);
    }

    /**
     * A probe runs against the live database: one statement as PostgreSQL splits text (no {@code ;} but a last one),
     * a query, calling no function that acts beyond reading (the READ ONLY transaction refuses writes, not these).
     */
    public static void checkProbe(String probe, String field) {
        if (probe == null || probe.isBlank() || probe.length() > MAX_PROBE_LENGTH) {
            throw new InvalidRequest("field '" + field + "' must be a query of 1-" + MAX_PROBE_LENGTH + " characters");
        }
        int separator = SqlText.separatorInside(probe);
        if (separator >= 0) {
            throw new InvalidRequest("field '" + field + "' holds more than one statement (a ';' at character " + (separator + 1)
                    + "): a probe is one query");
        }
        String shape = SqlText.shape(probe);
        if (!(shape.startsWith("SELECT ") || shape.startsWith("WITH ") || shape.startsWith("VALUES ") || shape.startsWith("TABLE "))) {
            throw new InvalidRequest("field '" + field + "' must be a query (SELECT, WITH, VALUES or TABLE): probes only read");
        }
        for (String function : SqlText.functionCalls(probe)) {
            if (SIDE_EFFECTS.contains(function) || SIDE_EFFECT_PREFIXES.stream().anyMatch(function::startsWith)) {
                throw new InvalidRequest("field '" + field + "' calls " + Echo.value(function) + "(), which acts beyond reading: probes"
                        + " may not call " + String.join(", ", SIDE_EFFECTS) + " or " + String.join("*, ", SIDE_EFFECT_PREFIXES) + "*");
            }
        }
    }

    @Override
    public CanaryCheckRequest withDatabase(DatabaseTarget replacement) {
        return new CanaryCheckRequest(deploymentId, replacement, schema, stage, since, baseline, thresholds, probes, probeRuns,
                probeRole, applicationMetrics);
    }
}
