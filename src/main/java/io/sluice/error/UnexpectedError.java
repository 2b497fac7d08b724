package io.sluice.error;

/**
 * Thrown in place of a failure Sluice did not foresee (a defect): the caller gets this type and a short message
 * with the deployment id, the function's log gets the full stack trace at debug level. Never retried: the same
 * event will meet the same defect.
 */
public final class UnexpectedError extends SluiceException {

    public UnexpectedError(String message) {
        super(ErrorCode.UNEXPECTED_ERROR, message, null);
    }

    public UnexpectedError(String message, Throwable cause) {
        super(ErrorCode.UNEXPECTED_ERROR, message, cause);
    }
}
