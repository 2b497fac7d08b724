package io.sluice.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.sluice.error.Echo;
import io.sluice.error.LockTimeout;
import io.sluice.event.SchemaName;

/**
 * Flyway's own advisory lock on a schema's history. Sluice's migration lock already keeps Sluice invocations
 * apart, so another holder is a plain Flyway run or the backend of a session that died mid-migrate and lingers
 * until the server notices. Sluice waits for it within its bound and then names the holder; it terminates
 * nothing, since only a person can tell an orphan from a running migration.
 */
public final class FlywayLock {

    private static final String HOLDER = """
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, 'unknown'),
                   extract(epoch FROM now() - a.backend_start)::bigint,
                   extract(epoch FROM now() - coalesce(a.state_change, a.backend_start))::bigint, coalesce(a.query, '')
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid <> pg_backend_pid()
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND ((l.classid::bigint << 32) | l.objid::bigint) = ?
             LIMIT 1
            """;

    private FlywayLock() {
    }

    /** Returns once no other backend holds Flyway's lock on {@code schema}; {@link LockTimeout} after {@code maxWait}. */
    public static void awaitFree(Connection connection, SchemaName schema, Duration maxWait, Backoff backoff) throws SQLException {
        Instant deadline = Instant.now().plus(maxWait);
        for (int attempt = 1; ; attempt++) {
            Optional<Holder> holder = holder(connection, schema);
            if (holder.isEmpty()) {
                return;
            }
            Duration pause = backoff.delay(attempt);
            if (Instant.now().plus(pause).isAfter(deadline)) {
                throw timeout(schema, holder.get(), maxWait, null);
            }
            backoff.sleep(pause);
        }
    }

    /** The error for Flyway having given up on its lock itself ({@code cause}). */
    public static LockTimeout heldElsewhere(Connection connection, SchemaName schema, Throwable cause) throws SQLException {
        return timeout(schema, holder(connection, schema).orElse(null), null, cause);
    }

    private static LockTimeout timeout(SchemaName schema, Holder holder, Duration waited, Throwable cause) {
        if (holder == null) {
            return new LockTimeout("Flyway could not take its lock on the history of schema " + schema + " (its holder has"
                    + " gone since); nothing was changed. Retry.", cause);
        }
        return new LockTimeout("Flyway's lock on the history of schema " + schema + " is held by " + holder.description()
                + (waited == null ? "" : "; waited " + waited.toMillis() + " ms") + ". Another Flyway is migrating, or a"
                + " session that died mid-migrate left its backend behind; nothing was changed. If that backend is not a"
                + " running migration, end it with SELECT pg_terminate_backend(" + holder.pid() + ") and retry; Sluice"
                + " terminates nothing itself.", cause);
    }

    private record Holder(int pid, String description) {
    }

    private static Optional<Holder> holder(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HOLDER)) {
            statement.setLong(1, FlywayInternals.lockKey(schema));
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(rs.getInt(1), "backend pid " + rs.getInt(1) + " (application '"
                        + Echo.value(rs.getString(2)) + "', " + rs.getString(3) + " for " + rs.getLong(5) + " s, connected "
                        + rs.getLong(4) + " s ago, last query: " + Echo.value(rs.getString(6).strip()) + ")"));
            }
        }
    }
}
