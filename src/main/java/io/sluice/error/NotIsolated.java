package io.sluice.error;

/**
 * Thrown when work a release carries would run without the isolation the deployment owes it, and so does not run:
 * scratch work with no isolation configured or available (the embedded PostgreSQL lacks the live major version or an
 * extension, no scratch server, no scratch role), a scratch server that is the live server, a probe or scratch role
 * that holds more than its privileges, or one Sluice may not create. Nothing ran; the deployment must change.
 */
public final class NotIsolated extends SluiceException {

    public NotIsolated(String message) {
        super(ErrorCode.NOT_ISOLATED, message, null);
    }

    public NotIsolated(String message, Throwable cause) {
        super(ErrorCode.NOT_ISOLATED, message, cause);
    }
}
