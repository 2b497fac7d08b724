package io.sluice.canary;

import java.util.List;

import io.sluice.canary.checks.ConnectionUsage;
import io.sluice.canary.checks.Deadlocks;
import io.sluice.canary.checks.ErrorRate;
import io.sluice.canary.checks.HistoryConsistent;
import io.sluice.canary.checks.InvalidIndexes;
import io.sluice.canary.checks.LockWaits;
import io.sluice.canary.checks.OldestTransaction;
import io.sluice.canary.checks.ProbeLatency;
import io.sluice.canary.checks.ReplicationLag;

/** Every canary check, in the order they run and are reported. */
public final class CanaryChecks {

    private CanaryChecks() {
    }

    public static List<CanaryCheck> all() {
        return List.of(new ErrorRate(), new Deadlocks(), new ProbeLatency(), new ConnectionUsage(), new LockWaits(),
                new OldestTransaction(), new ReplicationLag(), new InvalidIndexes(), new HistoryConsistent());
    }
}
