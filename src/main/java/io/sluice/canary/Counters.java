package io.sluice.canary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.event.CanaryCounters;

/** Reads the current database's cumulative counters from {@code pg_stat_database}. */
public final class Counters {

    private Counters() {
    }

    public static CanaryCounters read(Connection connection) throws SQLException {
        // Statistics are cached per transaction: a check reads them afresh (in autocommit, every statement is a new one).
        if (!connection.getAutoCommit()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_stat_clear_snapshot()");
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT xact_commit, xact_rollback, deadlocks, conflicts,"
                + " (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM pg_stat_database WHERE datname = current_database()");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new CanaryCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
