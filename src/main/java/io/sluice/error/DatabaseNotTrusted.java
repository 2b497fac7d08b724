package io.sluice.error;

/**
 * Thrown when the database cannot prove it is the one the configuration names: its TLS certificate does not chain to
 * the configured CA bundle or does not name the host, the bundle cannot be read, or the server does not offer TLS
 * where the configuration requires it. The credentials were not sent. Not transient: retrying fails the same way
 * until the bundle, the {@code sslmode} or the server's certificate changes.
 */
public final class DatabaseNotTrusted extends SluiceException {

    public DatabaseNotTrusted(String message) {
        super(ErrorCode.DATABASE_NOT_TRUSTED, message, null);
    }

    public DatabaseNotTrusted(String message, Throwable cause) {
        super(ErrorCode.DATABASE_NOT_TRUSTED, message, cause);
    }
}
