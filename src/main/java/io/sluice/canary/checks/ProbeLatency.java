package io.sluice.canary.checks;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.error.InvalidRequest;
import io.sluice.event.CanarySignal;

/**
 * Latency measured for real: each probe (the application's critical reads) runs {@code probeRuns} times in a READ
 * ONLY transaction, as the probe role when one is given, each run under its own {@code SET LOCAL statement_timeout},
 * and the p95 of all runs is held to the stage's limit and to the baseline's p95 times the allowed factor, whichever is
 * lower. A probe that fails is named by its place in the list and its SQLSTATE: the server's message may quote data
 * (a failed cast quotes the value), so it is not repeated.
 */
public final class ProbeLatency implements CanaryCheck {

    /** The longest a probe may run. */
    static final String TIMEOUT = "10s";

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
            if (context.probeRole() != null) {
                try {
                    statement.execute("SET LOCAL ROLE " + context.probeRole().quoted());
                } catch (SQLException e) {
                    throw new InvalidRequest("field 'probeRole': this database's user cannot run probes as " + context.probeRole()
                            + " (SQLSTATE " + e.getSQLState() + "): grant it the role, or name another");
                }
            }
            for (int p = 0; p < context.probes().size(); p++) {
                String probe = context.probes().get(p);
                for (int run = 0; run < context.probeRuns(); run++) {
                    statement.execute("SET LOCAL statement_timeout = '" + TIMEOUT + "'");
                    long started = System.nanoTime();
                    try {
                        statement.execute(probe);
                    } catch (SQLException e) {
                        // A critical read that no longer works (a dropped column, a timeout) is the clearest failure.
                        return new CanarySignal(id(), CanarySignal.Status.FAILED, null, "ms", context.limits().maxP95Ms(), null,
                                "probe " + (p + 1) + " failed: SQLSTATE " + e.getSQLState() + SqlStates.name(e.getSQLState()));
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
