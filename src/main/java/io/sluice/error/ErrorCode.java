package io.sluice.error;

import java.util.function.Function;

/**
 * Every outcome a workflow can route on. The code travels with the exception; the exception's class name is
 * what Step Functions matches in {@code Retry} and {@code Catch}.
 */
public enum ErrorCode {
    INVALID_REQUEST(false, InvalidRequest::new),
    AUTHENTICATION_FAILED(false, AuthenticationFailed::new),
    DATABASE_NOT_TRUSTED(false, DatabaseNotTrusted::new),
    VALIDATION_FAILED(false, ValidationFailed::new),
    MIGRATION_FAILED(false, MigrationFailed::new),
    LOCK_TIMEOUT(true, LockTimeout::new),
    DATABASE_UNAVAILABLE(true, DatabaseUnavailable::new),
    DRIFT_DETECTED(false, DriftDetected::new),
    ROLLBACK_FAILED(false, RollbackFailed::new),
    NOT_ALLOWED(false, NotAllowed::new),
    NOT_ISOLATED(false, NotIsolated::new),
    SCRATCH_REPLAY_FAILED(false, ScratchReplayFailed::new),
    UNEXPECTED_ERROR(false, UnexpectedError::new);

    private final boolean transientFailure;
    private final Function<String, SluiceException> create;

    ErrorCode(boolean transientFailure, Function<String, SluiceException> create) {
        this.transientFailure = transientFailure;
        this.create = create;
    }

    /** A new exception of this code's type with {@code message}, no cause. */
    SluiceException create(String message) {
        return create.apply(message);
    }

    /** Whether retrying the same event later can succeed without anybody changing anything. */
    public boolean isTransient() {
        return transientFailure;
    }
}
