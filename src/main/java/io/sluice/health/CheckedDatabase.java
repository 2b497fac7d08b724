package io.sluice.health;

import java.sql.Connection;
import java.util.function.Supplier;

import io.sluice.error.SluiceException;
import io.sluice.event.SchemaName;

/**
 * The database the health checks of one call read, for the calling thread only: MicroProfile Health checks take no
 * argument, and SmallRye's reporter runs synchronous checks on the thread that asks for the report. Two concurrent
 * calls never see each other's database.
 *
 * @param connection         an open connection, or null when the database could not be reached
 * @param unreachable        why not, when {@code connection} is null
 * @param database           the database as shown (URL without options or credentials)
 * @param schema             the schema Flyway manages
 * @param stateSchema        Sluice's state schema
 * @param maxConnectionShare the share of {@code max_connections} in use above which the database is not ready
 */
public record CheckedDatabase(Connection connection, SluiceException unreachable, String database, SchemaName schema,
        SchemaName stateSchema, double maxConnectionShare) {

    private static final ThreadLocal<CheckedDatabase> CURRENT = new ThreadLocal<>();

    public boolean reachable() {
        return connection != null;
    }

    /** Runs {@code checks} with this database as the current thread's. */
    public <T> T during(Supplier<T> checks) {
        CheckedDatabase before = CURRENT.get();
        CURRENT.set(this);
        try {
            return checks.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** The database of the call running on this thread. */
    static CheckedDatabase current() {
        CheckedDatabase current = CURRENT.get();
        if (current == null) {
            throw new IllegalStateException("a database health check ran outside a call that names its database");
        }
        return current;
    }
}
