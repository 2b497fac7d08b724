package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code rollback}, written by the workflow to {@code $.results.rollback}.
 *
 * @param deploymentId   the event's correlation id
 * @param status         what happened
 * @param database       the database URL without options or credentials
 * @param schema         the schema Flyway manages
 * @param strategy       the strategy used
 * @param targetVersion  the version asked for ({@code 0}: before the first migration)
 * @param versionBefore  the schema version before the invocation
 * @param versionAfter   the schema version after it
 * @param plan           the versions to undo, newest first
 * @param blockers       what would stop the rollback (missing undo scripts or snapshot); empty when it can run
 * @param undone         the undo scripts run, in order, with their durations
 * @param verified       whether the schema after the rollback equals the snapshot recorded for the target
 * @param snapshotSha256 SHA-256 of that snapshot
 * @param snapshotRebuilt whether that snapshot was rebuilt from the scripts (none was recorded for the target)
 * @param proof          a dry run with {@code prove}: each undo step as it ran in a scratch database, then the check of
 *                       the schema it reached; null otherwise
 * @param restore        the {@code snapshot} strategy: the snapshot restored and the new instance; null otherwise
 * @param auditId        the row of the rollback audit table that records this invocation; null for a dry run
 * @param durationMs     wall time of the invocation
 */
@RegisterForReflection
public record RollbackReport(
        DeploymentId deploymentId,
        RollbackStatus status,
        String database,
        String schema,
        RollbackStrategy strategy,
        String targetVersion,
        String versionBefore,
        String versionAfter,
        List<UndoStep> plan,
        List<String> blockers,
        List<AppliedScript> undone,
        boolean verified,
        String snapshotSha256,
        boolean snapshotRebuilt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<UndoProof> proof,
        @JsonInclude(JsonInclude.Include.NON_NULL) RdsRestore restore,
        Long auditId,
        long durationMs) {

    public RollbackReport {
        plan = List.copyOf(plan);
        blockers = List.copyOf(blockers);
        undone = List.copyOf(undone);
    }
}
