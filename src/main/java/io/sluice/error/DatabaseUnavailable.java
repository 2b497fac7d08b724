package io.sluice.error;

/**
 * Thrown when the database cannot be reached within the connect timeout, or the connection breaks mid-way.
 * Transient: a workflow may retry it with backoff.
 */
public final class DatabaseUnavailable extends SluiceException {

    public DatabaseUnavailable(String message) {
        super(ErrorCode.DATABASE_UNAVAILABLE, message, null);
    }

    public DatabaseUnavailable(String message, Throwable cause) {
        super(ErrorCode.DATABASE_UNAVAILABLE, message, cause);
    }
}
