package io.sluice.workflow;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

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
            reason(execution).ifPresent(reason -> out.println(io.sluice.error.Echo.line(reason)));
        }
    }

    /**
     * Why an execution that failed failed, in one whole line: the state where it went wrong, the error's type and its
     * whole message (a Task's error caught on the way to the end), or the findings that made a result invalid.
     */
    public static Optional<String> reason(Execution execution) {
        List<Execution.Visit> visits = execution.visits();
        for (int i = visits.size() - 1; i >= 0; i--) {
            Execution.Visit visit = visits.get(i);
            List<Execution.Attempt> calls = visit.calls();
            Execution.Attempt last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
            if (last != null && last.error() != null && (visit.outcome().startsWith("caught") || i == visits.size() - 1)) {
                return Optional.of(visit.state() + " failed: " + last.error() + ": " + message(last.cause()));
            }
            JsonNode payload = last == null || last.result() == null ? null : last.result().path("Payload");
            if (payload != null && payload.path("valid").isBoolean() && !payload.path("valid").asBoolean()) {
                List<String> errors = new ArrayList<>();
                for (JsonNode finding : payload.path("findings")) {
                    if ("ERROR".equals(finding.path("severity").asText())) {
                        errors.add(finding.path("code").asText() + " " + finding.path("script").asText("") + ": " + finding.path("message").asText());
                    }
                }
                for (JsonNode finding : payload.path("lint").path("findings")) {
                    if ("ERROR".equals(finding.path("severity").asText())) {
                        errors.add("lint [" + finding.path("rule").asText() + "] " + finding.path("script").asText() + ":"
                                + finding.path("line").asInt() + ": " + finding.path("message").asText());
                    }
                }
                return Optional.of(visit.state() + " found the release not valid: " + (errors.isEmpty() ? "see its findings above"
                        : errors.size() + " error(s): " + String.join("; ", errors)));
            }
        }
        return Optional.empty();
    }

    /** A Lambda error's message: the {@code errorMessage} of the JSON a function's error carries, else the cause as it is. */
    private static String message(String cause) {
        if (cause != null && cause.startsWith("{")) {
            try {
                JsonNode error = Paths.JSON.readTree(cause);
                if (error.hasNonNull("errorMessage")) {
                    return error.get("errorMessage").asText();
                }
            } catch (JsonProcessingException e) {
                return cause;
            }
        }
        return String.valueOf(cause);
    }
}
