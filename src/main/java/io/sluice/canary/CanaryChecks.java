package io.sluice.canary;

import java.util.List;

import io.sluice.canary.checks.Deadlocks;
import io.sluice.canary.checks.ErrorRate;
import io.sluice.canary.checks.LockWaits;
import io.sluice.canary.checks.OldestTransaction;
import io.sluice.canary.checks.ProbeLatency;
import io.sluice.canary.checks.ReplicationLag;

/**
 * Every canary check of the traffic's signals, in the order they run and are reported; the database's readiness
 * checks ({@code sluice-state}, {@code history}, {@code invalid-indexes}, {@code connection-usage}: {@link ReadinessSignals})
 * follow them.
 */
public final class CanaryChecks {

    private CanaryChecks() {
    }

    public static List<CanaryCheck> all() {
        return List.of(new ErrorRate(), new Deadlocks(), new ProbeLatency(), new LockWaits(), new OldestTransaction(), new ReplicationLag());
    }
}
