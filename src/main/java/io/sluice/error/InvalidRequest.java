package io.sluice.error;

/**
 * Thrown when the event cannot be acted on as sent: malformed JSON, a missing or unknown field, a value of the
 * wrong type or shape (version, identifier, folder), or credentials the database rejects. Never retried: the
 * event or its configuration must change.
 */
public final class InvalidRequest extends SluiceException {

    public InvalidRequest(String message) {
        super(ErrorCode.INVALID_REQUEST, message, null);
    }

    public InvalidRequest(String message, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
    }
}
