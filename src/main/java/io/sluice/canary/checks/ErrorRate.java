package io.sluice.canary.checks;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;

/**
 * Rolled-back transactions as a share of all in the window ({@code pg_stat_database}): held to the stage's limit and
 * to the baseline's rate plus a margin, whichever is lower.
 */
public final class ErrorRate implements CanaryCheck {

    @Override
    public String id() {
        return "error-rate";
    }

    @Override
    public CanarySignal run(CanaryContext context) {
        if (!context.hasWindow()) {
            return CanarySignal.skipped(id(), "first check of the window: rates need the counters of a previous check");
        }
        long commits = context.now().commits() - context.since().commits();
        long rollbacks = context.now().rollbacks() - context.since().rollbacks();
        if (commits + rollbacks <= 0) {
            return CanarySignal.skipped(id(), "no transaction ended in the window");
        }
        double rate = (double) rollbacks / (commits + rollbacks);
        Double baseline = context.baseline() == null ? null : context.baseline().errorRate();
        double limit = context.limits().maxErrorRate();
        if (baseline != null) {
            limit = Math.min(limit, baseline + context.limits().errorRateMargin());
        }
        return CanarySignal.measured(id(), rate, "ratio", limit, baseline,
                rollbacks + " of " + (commits + rollbacks) + " transactions rolled back");
    }
}
