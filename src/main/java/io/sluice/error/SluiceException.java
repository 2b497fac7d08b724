package io.sluice.error;

/**
 * Base of every error a Sluice function raises on purpose. Messages are written for the person reading the
 * failed execution: they say what went wrong and what to do, and never contain a secret.
 */
public abstract class SluiceException extends RuntimeException {

    private final ErrorCode code;

    protected SluiceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
