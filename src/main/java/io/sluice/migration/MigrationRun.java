package io.sluice.migration;

import java.util.List;

import io.sluice.event.AppliedScript;
import io.sluice.event.LockRetry;

/**
 * What one migrate did: the scripts applied and the tries that gave up on a lock.
 *
 * @param stopReason why the run stopped between two scripts before the target (time budget, SIGTERM), or null when it
 *                   reached the target
 */
public record MigrationRun(List<AppliedScript> applied, List<LockRetry> retries, String stopReason) {

    public boolean stopped() {
        return stopReason != null;
    }
}
