package io.sluice.migration;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.sluice.error.Echo;
import io.sluice.event.SchemaName;
import io.sluice.sql.SqlText;

/**
 * Who holds locks on the relations a script touches, read from {@code pg_locks} without queueing for anything. A
 * migration that gave up on {@code lock_timeout} waits here, unqueued, while a transaction older than its failed try
 * (so one that was there when it queued) still holds a lock on one of its relations: queueing behind such a holder
 * would stall every reader that arrives after the migration's ACCESS EXCLUSIVE request.
 */
public final class LockHolders {

    private static final String RELATIONS = """
            SELECT c.oid FROM unnest(?::text[]) AS n(name) JOIN pg_class c ON c.oid = pg_catalog.to_regclass(n.name)
            UNION SELECT i.indrelid FROM unnest(?::text[]) AS n(name) JOIN pg_index i ON i.indexrelid = pg_catalog.to_regclass(n.name)
            """;
    private static final String LONG_HOLDERS = """
            SELECT DISTINCT a.pid, coalesce(a.state, 'unknown'), (extract(epoch FROM now() - a.xact_start) * 1000)::bigint,
                   coalesce(a.query, '')
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'relation' AND l.granted AND l.relation = ANY(?::oid[]) AND l.pid <> pg_backend_pid()
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND a.xact_start < clock_timestamp() - make_interval(secs => ? / 1000.0)
             ORDER BY 3 DESC
            """;

    /** A session holding a lock on one of the relations, in a transaction older than the threshold. */
    public record Holder(int pid, String state, long transactionMs, String query) {
        public String describe() {
            return "pid " + pid + " (" + state + ", in a transaction for " + transactionMs + " ms, last query: "
                    + Echo.value(query.strip()) + ")";
        }
    }

    private LockHolders() {
    }

    /** The relations (and the tables of the indexes) that {@code sql} names and that exist; unqualified names in {@code schema}. */
    public static List<Long> relations(Connection connection, SchemaName schema, String sql) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        for (String name : SqlText.names(sql)) {
            int dots = unquotedDots(name);
            if (dots == 0) {
                names.add(schema.quoted() + "." + name);
            } else if (dots == 1) {
                names.add(name);
            }
            // schema.table.column (a column reference) names no relation, and to_regclass refuses it
        }
        List<Long> oids = new ArrayList<>();
        if (names.isEmpty()) {
            return oids;
        }
        try (PreparedStatement statement = connection.prepareStatement(RELATIONS)) {
            Array array = connection.createArrayOf("text", names.toArray());
            statement.setArray(1, array);
            statement.setArray(2, array);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    oids.add(rs.getLong(1));
                }
            }
        }
        return oids;
    }

    /** How many dots a name has outside double quotes: 1 for {@code app.orders} and {@code "a.b".c}, 0 for {@code "a.b"}. */
    private static int unquotedDots(String name) {
        boolean quoted = false;
        int dots = 0;
        for (char c : name.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dots++;
            }
        }
        return dots;
    }

    /** Sessions holding a lock on {@code relations} whose transaction is older than {@code olderThan}, oldest first. */
    public static List<Holder> olderThan(Connection connection, List<Long> relations, Duration olderThan) throws SQLException {
        List<Holder> holders = new ArrayList<>();
        if (relations.isEmpty()) {
            return holders;
        }
        try (PreparedStatement statement = connection.prepareStatement(LONG_HOLDERS)) {
            statement.setArray(1, connection.createArrayOf("bigint", relations.toArray()));
            statement.setLong(2, olderThan.toMillis());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    holders.add(new Holder(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
        }
        return holders;
    }

    /**
     * Polls, pausing as {@code backoff} says and queueing for nothing, until no transaction older than
     * {@code olderThan} holds a lock on {@code relations}. Returns the holders still there when {@code until} comes,
     * or an empty list once there are none.
     */
    public static List<Holder> awaitNone(Connection connection, List<Long> relations, Duration olderThan, Instant until,
            Backoff backoff) throws SQLException {
        for (int poll = 1; ; poll++) {
            List<Holder> holders = olderThan(connection, relations, olderThan);
            Duration pause = backoff.delay(poll);
            if (holders.isEmpty() || Instant.now().plus(pause).isAfter(until)) {
                return holders;
            }
            backoff.sleep(pause);
        }
    }

    public static String describe(List<Holder> holders) {
        return holders.stream().map(Holder::describe).collect(Collectors.joining("; "));
    }
}
