package io.sluice.error;

/**
 * Thrown when a migration script fails for a reason other than a lock wait: a SQL error, a statement timeout, a
 * failed non-transactional script. The message names the script and, where something was left behind, the
 * statement that cleans it up. Never retried automatically.
 */
public final class MigrationFailed extends SluiceException {

    public MigrationFailed(String message) {
        super(ErrorCode.MIGRATION_FAILED, message, null);
    }

    public MigrationFailed(String message, Throwable cause) {
        super(ErrorCode.MIGRATION_FAILED, message, cause);
    }
}
