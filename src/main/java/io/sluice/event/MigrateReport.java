package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code migrate}, written by the workflow to {@code $.results.migrate}.
 *
 * @param deploymentId  the event's correlation id
 * @param status        what happened
 * @param database      the database URL without options or credentials
 * @param schema        the schema Flyway manages
 * @param target        the requested target
 * @param versionBefore the schema version before the invocation; null for an empty history
 * @param versionAfter  the schema version after it (equal to {@code versionBefore} for a dry run)
 * @param plan          the scripts that were pending, in order
 * @param applied       the scripts applied, in order; empty for a dry run or when up to date
 * @param lockRetries   every try that gave up on {@code lock_timeout} and was retried
 * @param snapshotSha256 SHA-256 of the schema snapshot recorded for {@code versionAfter}; null for a dry run
 * @param stopReason    with {@code IN_PROGRESS}: why the run stopped between two scripts (or two batches)
 * @param rdsSnapshot   the RDS snapshot taken before the first change, when the event asked for one
 * @param backfills     the batched data migrations this invocation worked on, and where each stands
 * @param phase         the phase the request asked for: {@code expand}, {@code contract} or {@code all}
 * @param contractPending the contract scripts still pending after the invocation (up to the target)
 * @param durationMs    wall time of the invocation
 */
@RegisterForReflection
public record MigrateReport(
        DeploymentId deploymentId,
        MigrateStatus status,
        String database,
        String schema,
        String target,
        String versionBefore,
        String versionAfter,
        List<PlannedScript> plan,
        List<AppliedScript> applied,
        List<LockRetry> lockRetries,
        String snapshotSha256,
        @JsonInclude(JsonInclude.Include.NON_NULL) String stopReason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String rdsSnapshot,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BackfillProgress> backfills,
        MigratePhase phase,
        int contractPending,
        long durationMs) {

    public MigrateReport {
        plan = List.copyOf(plan);
        backfills = List.copyOf(backfills);
        applied = List.copyOf(applied);
        lockRetries = List.copyOf(lockRetries);
    }
}
