package io.sluice.workflow;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an execution ended, and the path it took.
 *
 * @param name   the execution's name
 * @param status {@code SUCCEEDED}, {@code FAILED} or {@code TIMED_OUT}
 * @param output the final output (SUCCEEDED only)
 * @param error  the error name (FAILED, TIMED_OUT)
 * @param cause  the error's cause (FAILED, TIMED_OUT)
 * @param visits every state entered, in order
 * @param millis the execution's wall time
 */
public record Execution(String name, Status status, JsonNode output, String error, String cause, List<Visit> visits, long millis) {

    public enum Status { SUCCEEDED, FAILED, TIMED_OUT }

    /**
     * One state entered and left.
     *
     * @param state   the state's name
     * @param type    its Type
     * @param millis  time spent in it (retries and waits included)
     * @param outcome what happened, one line: the next state, the error caught, the end
     * @param calls   what its Task resource returned or raised, attempt by attempt (Task states only)
     * @param output  what it handed to the next state (null when it ended the execution failed)
     */
    public record Visit(String state, String type, long millis, String outcome, List<Attempt> calls, JsonNode output) {

        public Visit {
            calls = List.copyOf(calls);
        }
    }

    /**
     * One call of a Task's resource.
     *
     * @param parameters what it was given
     * @param result     what it returned (null when it raised)
     * @param error      the error it raised (null when it returned)
     * @param cause      the error's cause
     */
    public record Attempt(JsonNode parameters, JsonNode result, String error, String cause) {
    }

    public Execution {
        visits = List.copyOf(visits);
    }

    /** The names of the states entered, in order. */
    public List<String> path() {
        return visits.stream().map(Visit::state).toList();
    }
}
