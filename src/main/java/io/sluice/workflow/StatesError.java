package io.sluice.workflow;

/**
 * An error as Step Functions names it: {@code Error} (a typed function error such as
 * {@code io.sluice.error.ValidationFailed}, or one of the predefined {@code States.*} names) and {@code Cause}.
 * Retry and Catch match on {@link #error()}.
 */
public final class StatesError extends RuntimeException {

    /** Any error except {@link #RUNTIME}; only alone and last in a Retrier or Catcher. */
    public static final String ALL = "States.ALL";
    /** Any error a task raises except {@link #TIMEOUT}. */
    public static final String TASK_FAILED = "States.TaskFailed";
    /** A task ran longer than its {@code TimeoutSeconds}, or the execution longer than its own. */
    public static final String TIMEOUT = "States.Timeout";
    /** A path or intrinsic could not be applied: never retried or caught, the execution fails. */
    public static final String RUNTIME = "States.Runtime";
    /** A {@code ResultPath} could not be applied to the state's input. */
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    /** No Choice rule matched and the Choice state has no Default. */
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    /**
     * A state's input after Parameters, a task's result or a state's output is over the payload quota: terminal, neither
     * {@link #ALL} nor {@link #TASK_FAILED} takes it, only a Catcher or Retrier that names it.
     */
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

    /** More items of a DISTRIBUTED Map failed than its ToleratedFailureCount or ToleratedFailurePercentage allow. */
    public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";

    private final String error;
    private final String cause;

    public StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    /** Whether a Retrier or Catcher listing {@code name} in its ErrorEquals handles this error. */
    public boolean matches(String name) {
        if (error.equals(RUNTIME)) {
            return false;
        }
        if (error.equals(DATA_LIMIT_EXCEEDED)) {
            return name.equals(DATA_LIMIT_EXCEEDED);
        }
        return switch (name) {
            case ALL -> true;
            case TASK_FAILED -> !error.equals(TIMEOUT);
            default -> name.equals(error);
        };
    }
}
