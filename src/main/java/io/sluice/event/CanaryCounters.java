package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * The database's cumulative counters ({@code pg_stat_database}) at one moment. A canary check returns the ones it
 * read; the workflow passes them to the next check as {@code since}, and the rates are taken over that window.
 *
 * @param commits    transactions committed
 * @param rollbacks  transactions rolled back
 * @param deadlocks  deadlocks detected
 * @param conflicts  queries cancelled by recovery conflicts (replicas)
 * @param readAtMs   when they were read, epoch milliseconds (server clock)
 */
@RegisterForReflection
public record CanaryCounters(long commits, long rollbacks, long deadlocks, long conflicts, long readAtMs) {

    public CanaryCounters {
        if (commits < 0 || rollbacks < 0 || deadlocks < 0 || conflicts < 0 || readAtMs <= 0) {
            throw new InvalidRequest("field 'since' must be the counters a previous canary check returned (all zero or more)");
        }
    }
}
