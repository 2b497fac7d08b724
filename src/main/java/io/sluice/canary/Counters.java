package io.sluice.canary;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.event.CanaryCounters;

/** Reads the current database's cumulative counters from {@code pg_stat_database}. */
public final class Counters {

    private Counters() {
    }

    public static CanaryCounters read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Statistics are cached per transaction; a check reads them afresh.
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = statement.executeQuery("SELECT xact_commit, xact_rollback, deadlocks, conflicts,"
                    + " (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return new CanaryCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }
}
