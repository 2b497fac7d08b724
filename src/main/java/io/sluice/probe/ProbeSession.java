package io.sluice.probe;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.error.InvalidRequest;
import io.sluice.event.SchemaName;
import io.sluice.sql.CallerErrors;

/**
 * One session of the probe role on a live database: each query it is given has passed the query gate; here it is
 * refused when it calls a function the server resolves as VOLATILE, and run only in a {@code READ ONLY} transaction
 * under a statement timeout. A failure is told by its SQLSTATE, never by the server's text (a failed cast quotes the
 * value it could not read).
 */
public final class ProbeSession implements AutoCloseable {

    private final Connection connection;

    ProbeSession(Connection connection, SchemaName schema) throws SQLException {
        this.connection = connection;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema.quoted() + ", public");
            statement.execute("SET default_transaction_read_only = on");
        }
    }

    /** The session, for planning ({@code EXPLAIN} only). */
    public Connection connection() {
        return connection;
    }

    /**
     * Refuses {@code query} when it calls a VOLATILE function; says why it cannot run at all when the server cannot read
     * it (a dropped column: then it is not run, and fails by that SQLSTATE).
     *
     * @param source the event field it came from, named in the error: {@code probes[1]}
     * @return null when it may run; otherwise the SQLSTATE the server could not read it with (where, in its own text)
     * @throws InvalidRequest naming the field and the functions, when it calls a VOLATILE one
     */
    public String refuseVolatile(String query, String source) throws SQLException {
        Check check = check(query);
        if (!check.volatileFunctions().isEmpty()) {
            throw new InvalidRequest("field '" + source + "' " + check.refusal());
        }
        return check.unreadable();
    }

    /**
     * What the live server makes of a query before it runs.
     *
     * @param volatileFunctions the VOLATILE functions it calls ({@code pg_catalog.pg_sleep}); empty when none
     * @param unreadable        why the server cannot even read it, by SQLSTATE and place; null when it can
     */
    public record Check(List<String> volatileFunctions, String unreadable) {

        /** Why it may not run; null when it may. */
        public String refusal() {
            if (!volatileFunctions.isEmpty()) {
                return "calls " + String.join("(), ", volatileFunctions) + "(), which the live server resolves as VOLATILE: what runs"
                        + " on a live server before anyone approved it only reads";
            }
            return unreadable == null ? null : "cannot be read by the live server: " + unreadable;
        }
    }

    /** What the live server makes of {@code query}, which is never run or planned for it. */
    public Check check(String query) throws SQLException {
        try {
            return new Check(VolatileFunctions.in(connection, query), null);
        } catch (VolatileFunctions.Unreadable e) {
            return new Check(List.of(), e.getMessage());
        }
    }

    /**
     * What timing a query gave: each run's time in ms, sorted, or why it failed.
     *
     * @param failure the SQLSTATE it failed with ({@code SQLSTATE 42703 (undefined_column)}); null when every run passed
     */
    public record Timed(List<Double> millis, String failure) {

        /** The 95th percentile of the runs. */
        public double p95() {
            return millis.get((int) Math.ceil(0.95 * millis.size()) - 1);
        }
    }

    /**
     * Runs {@code query} {@code runs} times in one read-only transaction, each under {@code timeout}; the p95, or the
     * first failure's SQLSTATE. A lost connection is thrown.
     */
    public Timed time(String query, int runs, String timeout) throws SQLException {
        List<Double> millis = new ArrayList<>();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION READ ONLY");
            for (int run = 0; run < runs; run++) {
                statement.execute("SET LOCAL statement_timeout = '" + timeout + "'");
                long started = System.nanoTime();
                try {
                    statement.execute(query);
                } catch (SQLException e) {
                    if (CallerErrors.isConnectionLost(e)) {
                        throw e;
                    }
                    return new Timed(List.of(), CallerErrors.state(e));
                }
                millis.add((System.nanoTime() - started) / 1e6);
            }
        } finally {
            // Commit, not roll back: the read-only transaction changed nothing, and a rollback would count in
            // pg_stat_database as one of the application's errors.
            connection.commit();
            connection.setAutoCommit(autoCommit);
        }
        Collections.sort(millis);
        return new Timed(List.copyOf(millis), null);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
