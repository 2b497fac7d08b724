package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;

import io.sluice.error.Echo;
import io.sluice.event.AppliedScript;
import io.sluice.event.SchemaName;
import io.sluice.sql.SqlText;
import io.sluice.sql.SqlStatement;
import io.sluice.tracing.Tracing;

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

    public UndoRunner(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Runs {@code undo} for {@code row} on {@code connection} (autocommit, session settings applied). */
    public AppliedScript undo(Connection connection, SchemaName schema, HistoryRow row, Script undo, boolean transactional,
            Instant deadline) throws SQLException {
        long started = System.nanoTime();
        Span span = Spans.script("undo", undo.path(), row.version().getVersion());
        // As Flyway runs a script: its unqualified names are the managed schema's. Without this an undo script of a
        // schema other than public failed on its own objects ("view ... does not exist"), or reached public's namesakes.
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema.quoted() + ", public");
        }
        try {
            if (transactional) {
                runInTransaction(connection, schema, row, undo, deadline);
            } else {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET lock_timeout = '" + policy.lockTimeout().toMillis() + "ms'");
                    for (SqlStatement sql : SqlText.split(undo.content())) {
                        statement.execute(sql.text());
                    }
                }
                row.delete(connection, schema);
            }
        } catch (SQLException | RuntimeException e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            if (!connection.isClosed() && connection.getAutoCommit()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("RESET search_path");
                }
            }
        }
        span.end();
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("undid version %s with %s in %d ms", row.version(), Echo.line(undo.path()), millis);
        return new AppliedScript(row.version().getVersion(), undo.description(), undo.path(), transactional, millis);
    }

    /**
     * Tries the undo script in a transaction with a short lock_timeout; after a try that gave up on a lock, waits
     * unqueued until no long transaction holds a lock on a relation the script names, then tries with a doubled
     * timeout (as {@link RetryingMigrator} does for migrations).
     */
    private void runInTransaction(Connection connection, SchemaName schema, HistoryRow row, Script undo, Instant deadline)
            throws SQLException {
        Instant budgetEnd = Instant.now().plus(policy.budget()).isBefore(deadline) ? Instant.now().plus(policy.budget()) : deadline;
        for (int attempt = 1; ; attempt++) {
            long tryStarted = System.nanoTime();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutOfTry(attempt).toMillis() + "ms'");
                for (SqlStatement sql : SqlText.split(undo.content())) {
                    statement.execute(sql.text());
                }
                row.delete(connection, schema);
                connection.commit();
                return;
            } catch (SQLException e) {
                connection.rollback();
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                Duration next = policy.lockTimeoutOfTry(attempt + 1);
                connection.setAutoCommit(true);
                // A transaction older than the failed try was there when it queued: a blocker to wait out, unqueued.
                Duration tryLasted = Duration.ofNanos(Math.max(System.nanoTime() - tryStarted, 1_000_000));
                List<LockHolders.Holder> holders = LockHolders.awaitNone(connection,
                        LockHolders.relations(connection, schema, undo.content()), tryLasted, budgetEnd.minus(next), policy.backoff());
                if (!holders.isEmpty() || Instant.now().plus(next).isAfter(budgetEnd)) {
                    throw e;
                }
                LOG.warnf("%s gave up waiting for a lock (try %d, rolled back); retrying with lock_timeout %d ms", Echo.line(undo.path()),
                        attempt, next.toMillis());
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
