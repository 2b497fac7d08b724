package io.sluice.backfill;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.config.SluiceConfig;

/**
 * What a backfill checks before each batch, in one query: how far the replicas are behind, how long another session
 * has waited for a lock, and the age of the oldest open transaction (the backfill's own session excluded). A reading
 * over its limit pauses the backfill; the batches it would add make each of them worse. Replication lag needs the
 * {@code pg_monitor} role to be visible (RDS's master user has it); without it the lag reads as 0.
 */
final class Throttle {

    private static final String READ = """
            SELECT (SELECT coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0) FROM pg_stat_replication)::bigint,
                   (SELECT coalesce(max(extract(epoch FROM now() - state_change)) * 1000, 0) FROM pg_stat_activity
                     WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid())::bigint,
                   (SELECT coalesce(max(extract(epoch FROM now() - xact_start)) * 1000, 0) FROM pg_stat_activity
                     WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend')::bigint
            """;

    /** One reading, in milliseconds. */
    record Reading(long replicationLagMs, long lockWaitMs, long oldestTransactionMs) {

        /** Why the backfill must pause, or null when it may go on. */
        String overLimit(SluiceConfig.Backfill limits) {
            if (replicationLagMs > limits.maxReplicationLag().toMillis()) {
                return "a replica is " + replicationLagMs + " ms behind (limit " + limits.maxReplicationLag().toMillis() + " ms)";
            }
            if (lockWaitMs > limits.maxLockWait().toMillis()) {
                return "a session has waited " + lockWaitMs + " ms for a lock (limit " + limits.maxLockWait().toMillis() + " ms)";
            }
            if (oldestTransactionMs > limits.maxTransactionAge().toMillis()) {
                return "a transaction has been open " + oldestTransactionMs + " ms (limit " + limits.maxTransactionAge().toMillis() + " ms)";
            }
            return null;
        }
    }

    private Throttle() {
    }

    /** Reads the signals in a transaction of its own, ended before the batch starts. */
    static Reading read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(READ)) {
            rs.next();
            Reading reading = new Reading(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            connection.commit();
            return reading;
        }
    }
}
