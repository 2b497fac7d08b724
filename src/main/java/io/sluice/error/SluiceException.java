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

    /**
     * What the caller is sent: the same type, the message bounded and its control characters escaped, no cause and
     * no stack trace (a Lambda runtime serialises both into the error response). The full exception is for the log.
     */
    public SluiceException forCaller() {
        SluiceException copy = code.create(Echo.message(getMessage()));
        copy.setStackTrace(new StackTraceElement[0]);
        return copy;
    }
}
