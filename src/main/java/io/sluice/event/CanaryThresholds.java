package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * Limits for one canary stage; each absent one takes the default for the stage (the guide's: at 5 % error rate
 * below 0.1 and p95 below 200 ms, from 25 % on below 0.05 and 150 ms).
 *
 * @param maxErrorRate           rollbacks / (commits + rollbacks) over the window
 * @param maxP95Ms               the probes' p95
 * @param maxP95VsBaseline       the probes' p95 as a multiple of the baseline's
 * @param errorRateMargin        how far the error rate may exceed the baseline's
 * @param maxDeadlocks           deadlocks in the window
 * @param maxConnectionShare     connections in use as a share of max_connections
 * @param maxLockWaitMs          the longest a session has been waiting for a lock
 * @param maxTransactionAgeMs    the oldest open transaction
 * @param maxReplicationLagMs    the largest replay lag of a replica
 * @param p95NoiseMs             how much slower than the baseline a p95 may always be, whatever the multiple says (a
 *                               0.2 ms read measured at 0.5 ms is noise, not a regression)
 * @param minTransactions        the fewest transactions a window must hold for its error rate to be judged (a quiet
 *                               database's one rollback in ten is noise, not a failed release)
 */
@RegisterForReflection
public record CanaryThresholds(
        Double maxErrorRate,
        Double maxP95Ms,
        Double maxP95VsBaseline,
        Double errorRateMargin,
        Integer maxDeadlocks,
        Double maxConnectionShare,
        Long maxLockWaitMs,
        Long maxTransactionAgeMs,
        Long maxReplicationLagMs,
        Double p95NoiseMs,
        Integer minTransactions) {

    public static final CanaryThresholds NONE = new CanaryThresholds(null, null, null, null, null, null, null, null, null, null, null);

    public CanaryThresholds {
        if (negative(maxErrorRate) || negative(maxP95Ms) || negative(maxP95VsBaseline) || negative(errorRateMargin)
                || maxDeadlocks != null && maxDeadlocks < 0 || negative(maxConnectionShare) || maxLockWaitMs != null && maxLockWaitMs < 0
                || maxTransactionAgeMs != null && maxTransactionAgeMs < 0 || maxReplicationLagMs != null && maxReplicationLagMs < 0
                || negative(p95NoiseMs) || minTransactions != null && minTransactions < 0) {
            throw new InvalidRequest("field 'thresholds' holds a negative limit");
        }
    }

    private static boolean negative(Double value) {
        return value != null && (value < 0 || value.isNaN());
    }

    /** These limits, each absent one taken from the defaults for {@code stage} (a percentage of traffic). */
    public CanaryThresholds forStage(int stage) {
        boolean first = stage <= 5;
        return new CanaryThresholds(
                or(maxErrorRate, first ? 0.1 : 0.05),
                or(maxP95Ms, first ? 200.0 : 150.0),
                or(maxP95VsBaseline, 1.5),
                or(errorRateMargin, 0.02),
                maxDeadlocks != null ? maxDeadlocks : 0,
                or(maxConnectionShare, 0.8),
                maxLockWaitMs != null ? maxLockWaitMs : 5_000L,
                maxTransactionAgeMs != null ? maxTransactionAgeMs : 300_000L,
                maxReplicationLagMs != null ? maxReplicationLagMs : 30_000L,
                or(p95NoiseMs, 5.0),
                minTransactions != null ? minTransactions : 50);
    }

    private static Double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
