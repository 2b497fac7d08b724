package io.sluice.canary.checks;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;

/**
 * Rolled-back transactions as a share of all in the window ({@code pg_stat_database}): held to the stage's limit and
 * to the baseline's rate plus a margin, whichever is lower. A window with fewer transactions than the stage's
 * minimum is not judged: on a quiet database one rollback would be a rate of 10 %.
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
        if (commits + rollbacks < Math.max(1, context.limits().minTransactions())) {
            return CanarySignal.skipped(id(), "too few transactions to judge: " + (commits + rollbacks) + " ended in the window ("
                    + rollbacks + " rolled back), " + context.limits().minTransactions() + " needed (thresholds.minTransactions)");
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
