package io.sluice.migration;

import java.util.Optional;

import org.flywaydb.core.internal.exception.FlywayMigrateException;

import io.sluice.event.SchemaName;

/**
 * The one place that knows Flyway internals ({@code org.flywaydb.core.internal}): how a failed script is reported,
 * and the key of Flyway's own advisory lock. {@code FlywayInternalsTest} pins each against the real Flyway, so an
 * upgrade that changes them fails there and nowhere else.
 */
public final class FlywayInternals {

    /** Flyway's PostgreSQL lock key is this constant plus the hash of the quoted history table name. */
    private static final long LOCK_MAGIC_NUMBER = (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77 << 16) + (0x61 << 8) + 0x79;
    private static final String LOCK_RETRIES_EXCEEDED = "attempting to acquire PostgreSQL advisory lock";
    private static final String NON_EMPTY_SCHEMA = "but no schema history table";

    private FlywayInternals() {
    }

    /**
     * What Flyway says about a script that failed while migrating.
     *
     * @param script        the script's path as Flyway knows it
     * @param sqlState      PostgreSQL's SQLSTATE, or null when the failure was not an SQL error
     * @param line          the line of the failing statement, or 0 when unknown
     * @param transactional whether the script ran in a transaction (and was therefore rolled back)
     */
    public record ScriptFailure(String script, String sqlState, int line, boolean transactional) {
    }

    /** The failed script, when {@code e} is Flyway's report of one. */
    public static Optional<ScriptFailure> scriptFailure(Throwable e) {
        if (!(e instanceof FlywayMigrateException failed)) {
            return Optional.empty();
        }
        return Optional.of(new ScriptFailure(failed.getMigration() == null ? null : failed.getMigration().getScript(),
                failed.getSqlState(), failed.getLineNumber(), failed.isExecutableInTransaction()));
    }

    /** The 64-bit advisory lock Flyway takes (pg_try_advisory_lock) while it migrates {@code schema}'s history. */
    public static long lockKey(SchemaName schema) {
        return LOCK_MAGIC_NUMBER + ("\"" + schema.value() + "\".\"" + FlywaySetup.HISTORY_TABLE + "\"").hashCode();
    }

    /** Whether {@code e} is Flyway giving up on its own advisory lock after {@code lockRetryCount} tries. */
    public static boolean isLockRetriesExceeded(Throwable e) {
        return saysSo(e, LOCK_RETRIES_EXCEEDED);
    }

    /** Whether {@code e} is Flyway refusing a schema that has objects but no history (it asks for a baseline). */
    public static boolean isNonEmptySchemaWithoutHistory(Throwable e) {
        return saysSo(e, NON_EMPTY_SCHEMA);
    }

    private static boolean saysSo(Throwable e, String text) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
