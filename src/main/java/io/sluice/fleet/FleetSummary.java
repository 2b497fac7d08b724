package io.sluice.fleet;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a fleet stands: the result of the fleet function's {@code summary} mode, carried by the {@code fleet-released}
 * and {@code fleet-stopped} notifications. Every database's outcome is in the summary object ({@code summary}); the
 * notification lists the first {@value FleetSummarizer#LISTED} failures.
 *
 * @param deploymentId the release
 * @param execution    the fleet execution
 * @param status       {@code released} (every wave ran) or {@code stopped} (a wave failed beyond its tolerance, or
 *                     something else ended the fleet: {@code cause})
 * @param targets      the fleet's databases
 * @param released     databases released (and not rolled back)
 * @param failed       databases whose pipeline failed (rolled back by their own pipeline, or not deployed)
 * @param notStarted   databases no wave started
 * @param rolledBack   released databases of the failed wave that the fleet rolled back
 * @param stoppedAt    the wave the fleet stopped at (0: before the first wave); null when released
 * @param cause        why it stopped: the error that ended it
 * @param waves        per wave: started, succeeded, failed
 * @param failures     the first failures: which database, which wave, what error
 * @param summary      where every database's outcome is ({@code s3://bucket/key})
 * @param rollback     the failed wave's released databases, kept for the fleet's rollback ({@code key}, {@code count})
 */
@RegisterForReflection
public record FleetSummary(String deploymentId, String execution, String status, int targets, int released, int failed, int notStarted,
        int rolledBack, Integer stoppedAt, JsonNode cause, List<WaveOutcome> waves, List<DatabaseOutcome> failures, String summary,
        Rollback rollback) {

    public FleetSummary {
        waves = List.copyOf(waves);
        failures = List.copyOf(failures);
    }

    /** One wave's count. */
    @RegisterForReflection
    public record WaveOutcome(int wave, String label, int count, int started, int succeeded, int failed) {
    }

    /**
     * One database's outcome.
     *
     * @param outcome {@code released}, {@code failed}, {@code not-started}, {@code rolled-back} or {@code rollback-failed}
     * @param execution its pipeline execution (or the Map Run's child that started it)
     */
    @RegisterForReflection
    public record DatabaseOutcome(String name, int wave, String outcome, String versionBefore, String versionAfter, String error,
            String execution) {
    }

    /** The failed wave's released databases, as the fleet's rollback Map reads them. */
    @RegisterForReflection
    public record Rollback(String bucket, String key, int count) {
    }
}
