package io.sluice.error;

/**
 * Thrown when a rollback cannot be done or did not restore the schema: an undo script is missing (nothing was
 * changed), no snapshot exists to verify against (nothing was changed), an undo script failed (the message says
 * which versions were undone before it), or the schema after undoing differs from the snapshot recorded for the
 * target version (the message lists the differences). Every attempt is in the rollback audit table.
 */
public final class RollbackFailed extends SluiceException {

    public RollbackFailed(String message) {
        super(ErrorCode.ROLLBACK_FAILED, message, null);
    }

    public RollbackFailed(String message, Throwable cause) {
        super(ErrorCode.ROLLBACK_FAILED, message, cause);
    }
}
