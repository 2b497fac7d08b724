package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.sluice.event.DatabaseTarget;

/**
 * The connections a warm function keeps between invocations: at most one idle physical connection per database (the
 * {@value #MAX_DATABASES} databases used last), lent to one caller at a time and never to two. A connection comes
 * back through {@code close()}: its transaction is rolled back and its session reset ({@link #RESET}: settings, role,
 * advisory locks, temporary tables; the driver's prepared statements stay), and one that cannot be reset is closed. One that sat
 * idle for {@value #CHECK_AFTER_IDLE_MS} ms or more (a frozen Lambda environment between invocations, a server that
 * may have dropped it) is checked with a round trip before it is lent. {@link #discardIdle()} closes them all: after
 * any failed invocation and at shutdown.
 */
public final class ReusedConnections {

    /** Opens a new physical connection. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    private static final Logger LOG = Logger.getLogger(ReusedConnections.class);
    static final int MAX_DATABASES = 4;
    public static final long CHECK_AFTER_IDLE_MS = 1_000;
    private static final int CHECK_SECONDS = 2;
    /**
     * What {@code DISCARD ALL} does but for {@code DEALLOCATE ALL} and {@code DISCARD PLANS}: the session's role,
     * settings, cursors, listeners, advisory locks, temporary tables and sequence state go; the driver's prepared
     * statements stay (pgjdbc prepares a statement on the server from its fifth run), so a warm call does not parse
     * and plan its catalog queries again. A plan whose tables changed is re-planned by the server itself.
     */
    static final String RESET = "SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *;"
            + " SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES";

    private record Idle(Connection connection, long sinceMs) {
    }

    /** Idle connections by database, least recently used first. */
    private final LinkedHashMap<DatabaseTarget, Idle> idle = new LinkedHashMap<>(8, 0.75f, true);

    /**
     * A connection to {@code target}: the kept one when there is one and it still answers, else a new one from
     * {@code opener}. Closing it gives it back.
     *
     * @param socketTimeout how long a read may block on it (zero: no limit), as for a new connection
     */
    public Connection lend(DatabaseTarget target, Duration socketTimeout, Opener opener) throws SQLException {
        Idle kept;
        synchronized (this) {
            kept = idle.remove(target);
        }
        Connection physical = kept == null ? null : usable(kept);
        if (physical == null) {
            physical = opener.open();
        } else {
            physical.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, socketTimeout.toMillis()));
        }
        Connection lent = physical;
        return new LentConnection(lent, () -> giveBack(target, lent));
    }

    /** How many idle connections are kept. */
    public synchronized int idle() {
        return idle.size();
    }

    /** Closes every idle connection (a lent one is closed when it comes back). */
    public void discardIdle() {
        List<Connection> closing;
        synchronized (this) {
            closing = idle.values().stream().map(Idle::connection).toList();
            idle.clear();
        }
        closing.forEach(ReusedConnections::closeQuietly);
    }

    private static Connection usable(Idle kept) {
        if (System.currentTimeMillis() - kept.sinceMs() < CHECK_AFTER_IDLE_MS) {
            return kept.connection();
        }
        try {
            if (kept.connection().isValid(CHECK_SECONDS)) {
                return kept.connection();
            }
        } catch (SQLException e) {
            LOG.debugf("a kept connection did not answer: %s", e.getMessage());
        }
        closeQuietly(kept.connection());
        return null;
    }

    private void giveBack(DatabaseTarget target, Connection physical) {
        try {
            if (physical.isClosed()) {
                return;
            }
            reset(physical);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("a connection could not be reset and is closed: %s", e.getMessage());
            closeQuietly(physical);
            return;
        }
        List<Connection> closing = new ArrayList<>();
        synchronized (this) {
            if (idle.containsKey(target)) {
                closing.add(physical);
            } else {
                idle.put(target, new Idle(physical, System.currentTimeMillis()));
                for (Iterator<Map.Entry<DatabaseTarget, Idle>> oldest = idle.entrySet().iterator(); idle.size() > MAX_DATABASES;) {
                    closing.add(oldest.next().getValue().connection());
                    oldest.remove();
                }
            }
        }
        closing.forEach(ReusedConnections::closeQuietly);
    }

    /** The session as a new connection has it. */
    private static void reset(Connection physical) throws SQLException {
        if (!physical.getAutoCommit()) {
            physical.rollback();
            physical.setAutoCommit(true);
        }
        if (physical.isReadOnly()) {
            physical.setReadOnly(false);
        }
        try (Statement statement = physical.createStatement()) {
            statement.execute(RESET);
        }
        physical.clearWarnings();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("closing a kept connection failed: %s", e.getMessage());
        }
    }
}
