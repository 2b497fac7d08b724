package io.sluice.error;

/**
 * Thrown when a migration could not get the locks it needs within the retry budget (each try bounded by
 * {@code lock_timeout}), or when another deployment holds the migration lock for longer than allowed. Nothing
 * of the failing script was applied; retrying later is safe.
 */
public final class LockTimeout extends SluiceException {

    public LockTimeout(String message) {
        super(ErrorCode.LOCK_TIMEOUT, message, null);
    }

    public LockTimeout(String message, Throwable cause) {
        super(ErrorCode.LOCK_TIMEOUT, message, cause);
    }
}
