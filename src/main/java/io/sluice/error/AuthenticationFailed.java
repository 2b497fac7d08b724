package io.sluice.error;

/**
 * Thrown when the database refuses the credentials (wrong password, unknown role, no {@code pg_hba.conf} entry
 * for this client). Not transient: retrying the same event fails the same way until the credentials or the
 * server's access rules change.
 */
public final class AuthenticationFailed extends SluiceException {

    public AuthenticationFailed(String message) {
        super(ErrorCode.AUTHENTICATION_FAILED, message, null);
    }

    public AuthenticationFailed(String message, Throwable cause) {
        super(ErrorCode.AUTHENTICATION_FAILED, message, cause);
    }
}
