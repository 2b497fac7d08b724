package io.sluice.workflow;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints each state as the runner enters and leaves it, and a summary at the end: per state how often it was
 * entered and its wall time, then how the execution ended.
 */
public final class ConsoleListener implements WorkflowRunner.Listener {

    private final PrintStream out;

    public ConsoleListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void entered(String state, String type) {
        out.printf("  > %s (%s)%n", state, type);
    }

    @Override
    public void retrying(String state, StatesError error, Duration delay, int attempt) {
        out.printf("    retry %d of %s in %d ms after %s%n", attempt, state, delay.toMillis(), error.error());
    }

    @Override
    public void left(Execution.Visit visit) {
        out.printf("  < %s %d ms %s%n", visit.state(), visit.millis(), visit.outcome());
    }

    /** The summary: one line per state entered (visits, total time), then the status. */
    public void summary(Execution execution) {
        Map<String, long[]> byState = new LinkedHashMap<>();
        for (Execution.Visit visit : execution.visits()) {
            long[] totals = byState.computeIfAbsent(visit.state(), name -> new long[2]);
            totals[0]++;
            totals[1] += visit.millis();
        }
        out.printf("%nSummary of execution %s%n", execution.name());
        out.printf("  %-22s %6s %9s%n", "state", "visits", "ms");
        byState.forEach((state, totals) -> out.printf("  %-22s %6d %9d%n", state, totals[0], totals[1]));
        out.printf("  %-22s %6d %9d%n", "(execution)", execution.visits().size(), execution.millis());
        if (execution.status() == Execution.Status.SUCCEEDED) {
            out.printf("%nSUCCEEDED%n");
        } else {
            out.printf("%n%s: %s: %s%n", execution.status(), execution.error(), execution.cause());
        }
    }
}
