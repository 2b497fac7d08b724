package io.sluice.migration;

import java.util.List;

import io.sluice.event.AppliedScript;
import io.sluice.event.LockRetry;

/** What one migrate did: the scripts applied and the tries that were retried after a lock timeout. */
public record MigrationRun(List<AppliedScript> applied, List<LockRetry> retries) {
}
