package io.sluice.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import io.sluice.error.LockTimeout;
import io.sluice.event.SchemaName;

/**
 * A PostgreSQL session advisory lock that admits one migrating invocation per schema at a time. Concurrent
 * invocations wait (bounded), then find nothing left to do. The lock lives as long as the connection that holds
 * it, so a crashed invocation cannot leave it behind.
 */
public final class MigrationLock implements AutoCloseable {

    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('sluice.migrate'), hashtext(?))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('sluice.migrate'), hashtext(?))";
    private static final String HOLDER = """
            SELECT a.pid, coalesce(a.application_name, ''), a.backend_start
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.classid = hashtext('sluice.migrate')::oid AND l.objid = hashtext(?)::oid
            """;

    private final Connection connection;
    private final SchemaName schema;
    private final Duration waited;

    private MigrationLock(Connection connection, SchemaName schema, Duration waited) {
        this.connection = connection;
        this.schema = schema;
        this.waited = waited;
    }

    /** Takes the lock for {@code schema} on {@code connection}, waiting at most {@code maxWait}. */
    public static MigrationLock acquire(Connection connection, SchemaName schema, Duration maxWait, Backoff backoff)
            throws SQLException {
        Instant start = Instant.now();
        Instant deadline = start.plus(maxWait);
        for (int attempt = 1; ; attempt++) {
            if (tryLock(connection, schema)) {
                return new MigrationLock(connection, schema, Duration.between(start, Instant.now()));
            }
            Duration pause = backoff.delay(attempt);
            if (Instant.now().plus(pause).isAfter(deadline)) {
                throw new LockTimeout("another invocation has been migrating schema '" + schema + "' for longer than "
                        + maxWait.toSeconds() + " s (" + holder(connection, schema) + "); nothing was changed."
                        + " Retry once it finishes.");
            }
            backoff.sleep(pause);
        }
    }

    /** How long {@link #acquire} waited for another invocation. */
    public Duration waited() {
        return waited;
    }

    private static boolean tryLock(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
            statement.setString(1, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String holder(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HOLDER)) {
            statement.setString(1, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return "holder already gone";
                }
                return "held by backend pid " + rs.getInt(1) + " of '" + rs.getString(2) + "', connected since "
                        + rs.getTimestamp(3).toInstant();
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UNLOCK)) {
            statement.setString(1, schema.value());
            statement.execute();
        }
    }
}
