package io.sluice.error;

/**
 * Every outcome a workflow can route on. The code travels with the exception; the exception's class name is
 * what Step Functions matches in {@code Retry} and {@code Catch}.
 */
public enum ErrorCode {
    INVALID_REQUEST(false),
    VALIDATION_FAILED(false),
    MIGRATION_FAILED(false),
    LOCK_TIMEOUT(true),
    DATABASE_UNAVAILABLE(true),
    DRIFT_DETECTED(false),
    ROLLBACK_FAILED(false);

    private final boolean transientFailure;

    ErrorCode(boolean transientFailure) {
        this.transientFailure = transientFailure;
    }

    /** Whether retrying the same event later can succeed without anybody changing anything. */
    public boolean isTransient() {
        return transientFailure;
    }
}
