package io.sluice.error;

/**
 * Thrown when a check finds the migrations or the live database not fit to proceed (checksum mismatch, failed
 * history row, missing undo script under an {@code error} policy...) and the caller asked to fail on it.
 * Never retried.
 */
public final class ValidationFailed extends SluiceException {

    public ValidationFailed(String message) {
        super(ErrorCode.VALIDATION_FAILED, message, null);
    }

    public ValidationFailed(String message, Throwable cause) {
        super(ErrorCode.VALIDATION_FAILED, message, cause);
    }
}
