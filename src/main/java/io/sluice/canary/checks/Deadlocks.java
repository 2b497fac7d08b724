package io.sluice.canary.checks;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;

/** Deadlocks PostgreSQL detected in the window: a new lock order in the release shows up here first. */
public final class Deadlocks implements CanaryCheck {

    @Override
    public String id() {
        return "deadlocks";
    }

    @Override
    public CanarySignal run(CanaryContext context) {
        if (!context.hasWindow()) {
            return CanarySignal.skipped(id(), "first check of the window: counts need the counters of a previous check");
        }
        long deadlocks = context.now().deadlocks() - context.since().deadlocks();
        return CanarySignal.measured(id(), deadlocks, "count", context.limits().maxDeadlocks(), null, "deadlocks in the window");
    }
}
