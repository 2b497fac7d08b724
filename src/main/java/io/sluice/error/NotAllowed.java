package io.sluice.error;

/**
 * Thrown when the caller a function URL authenticated may not do what it asks: a principal that is no approver, the
 * one who started a release approving it, a release started where nobody recorded who started it. Not transient:
 * another caller, or the allow-list, must change.
 */
public final class NotAllowed extends SluiceException {

    public NotAllowed(String message) {
        super(ErrorCode.NOT_ALLOWED, message, null);
    }
}
