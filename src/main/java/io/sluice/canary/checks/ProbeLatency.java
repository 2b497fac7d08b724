package io.sluice.canary.checks;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.error.Echo;
import io.sluice.event.CanarySignal;

/**
 * Latency measured for real: each probe (the application's critical reads) runs {@code probeRuns} times in a READ
 * ONLY transaction under a statement_timeout, and the p95 of all runs is held to the stage's limit and to the
 * baseline's p95 times the allowed factor, whichever is lower.
 */
public final class ProbeLatency implements CanaryCheck {

    @Override
    public String id() {
        return "probe-p95";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        if (context.probes().isEmpty()) {
            return CanarySignal.skipped(id(), "no probe queries in the event");
        }
        List<Double> millis = new ArrayList<>();
        boolean autoCommit = context.connection().getAutoCommit();
        context.connection().setAutoCommit(false);
        try (Statement statement = context.connection().createStatement()) {
            statement.execute("SET TRANSACTION READ ONLY");
            for (String probe : context.probes()) {
                for (int run = 0; run < context.probeRuns(); run++) {
                    long started = System.nanoTime();
                    try {
                        statement.execute(probe);
                    } catch (SQLException e) {
                        // A critical read that no longer works (a dropped column, a timeout) is the clearest failure.
                        return new CanarySignal(id(), CanarySignal.Status.FAILED, null, "ms", context.limits().maxP95Ms(), null,
                                "probe failed: " + Echo.value(probe) + ": " + Echo.value(e.getMessage()));
                    }
                    millis.add((System.nanoTime() - started) / 1e6);
                }
            }
        } finally {
            // Commit, not roll back: the read-only transaction changed nothing, and a rollback would count in
            // pg_stat_database as one of the application's errors.
            context.connection().commit();
            context.connection().setAutoCommit(autoCommit);
        }
        Collections.sort(millis);
        double p95 = millis.get((int) Math.ceil(0.95 * millis.size()) - 1);
        Double baseline = context.baseline() == null ? null : context.baseline().p95Ms();
        double limit = context.limits().maxP95Ms();
        if (baseline != null && baseline > 0) {
            double relative = Math.max(baseline * context.limits().maxP95VsBaseline(), baseline + context.limits().p95NoiseMs());
            limit = Math.min(limit, relative);
        }
        return CanarySignal.measured(id(), Math.round(p95 * 10) / 10.0, "ms", limit, baseline,
                "p95 of " + millis.size() + " probe run(s)");
    }
}
