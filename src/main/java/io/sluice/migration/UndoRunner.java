package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.sluice.event.AppliedScript;
import io.sluice.event.SchemaName;

/**
 * Runs one undo script and removes its version from the history. A transactional undo script and the history
 * change commit together or not at all, and a try that gives up on {@code lock_timeout} is rolled back and retried
 * like a migration. An undo script that must run outside a transaction runs statement by statement and is never
 * retried.
 */
public final class UndoRunner {

    private static final Logger LOG = Logger.getLogger(UndoRunner.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final RetryPolicy policy;
    private final RetryingMigrator.Sleeper sleeper;

    public UndoRunner(RetryPolicy policy, RetryingMigrator.Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    /** Runs {@code undo} for {@code row} on {@code connection} (autocommit, session settings applied). */
    public AppliedScript undo(Connection connection, SchemaName schema, HistoryRow row, Script undo, boolean transactional,
            Instant deadline) throws SQLException, InterruptedException {
        long started = System.nanoTime();
        if (transactional) {
            runInTransaction(connection, schema, row, undo, deadline);
        } else {
            try (Statement statement = connection.createStatement()) {
                for (SqlStatement sql : SqlText.split(undo.content())) {
                    statement.execute(sql.text());
                }
            }
            row.delete(connection, schema);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("undid version %s with %s in %d ms", row.version(), undo.path(), millis);
        return new AppliedScript(row.version().getVersion(), undo.description(), undo.path(), transactional, millis);
    }

    private void runInTransaction(Connection connection, SchemaName schema, HistoryRow row, Script undo, Instant deadline)
            throws SQLException, InterruptedException {
        Instant budgetEnd = Instant.now().plus(policy.budget()).isBefore(deadline) ? Instant.now().plus(policy.budget()) : deadline;
        for (int attempt = 1; ; attempt++) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (SqlStatement sql : SqlText.split(undo.content())) {
                    statement.execute(sql.text());
                }
                row.delete(connection, schema);
                connection.commit();
                return;
            } catch (SQLException e) {
                connection.rollback();
                Duration backoff = policy.backoff(attempt);
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || Instant.now().plus(backoff).isAfter(budgetEnd)) {
                    throw e;
                }
                LOG.warnf("%s gave up waiting for a lock (try %d); rolled back, retrying in %d ms", undo.path(), attempt,
                        backoff.toMillis());
                sleeper.sleep(backoff);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
