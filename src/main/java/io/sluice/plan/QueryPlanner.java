package io.sluice.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;


import io.sluice.event.SchemaName;
import io.sluice.sql.CallerErrors;

/**
 * Generic plans ({@code EXPLAIN (FORMAT JSON, GENERIC_PLAN)}: {@code $1} parameters stay parameters) of one query at a
 * time on one connection, each bounded by a statement timeout. Not thread-safe; one per connection.
 */
final class QueryPlanner implements AutoCloseable {

    /** Planning one query is milliseconds; this bounds a pathological one (a join of fifty tables). */
    private static final String PLAN_TIMEOUT = "10s";

    /** A plan, or why there is none. */
    record Planned(PlanShape shape, String error) {
    }

    private final PreparedStatement statement;
    private long nanos;

    /**
     * Prepares {@code connection} (its search path, timeout and a temporary function) for planning. The function is
     * created in a read-write transaction of its own: a database whose sessions start read-only (RDS's green, with
     * {@code default_transaction_read_only}) plans as well; nothing but the session's temporary schema is written.
     */
    QueryPlanner(Connection connection, SchemaName schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement setup = connection.createStatement()) {
            setup.execute("SET TRANSACTION READ WRITE");
            setup.execute("SET search_path TO " + schema.quoted() + ", public");
            setup.execute("SET statement_timeout TO '" + PLAN_TIMEOUT + "'");
            // The driver sends statements with the extended protocol, whose Bind would have to supply the $n that
            // EXPLAIN (GENERIC_PLAN) leaves unbound; run from PL/pgSQL, the statement is parsed with none supplied.
            // Through a cursor, which the server opens for one statement only: a second statement hidden from the
            // lexer that already refused the query would still never run.
            setup.execute("CREATE FUNCTION pg_temp.sluice_explain(query text) RETURNS text LANGUAGE plpgsql AS $$"
                    + " DECLARE plans refcursor; plan text; BEGIN OPEN plans FOR EXECUTE 'EXPLAIN (FORMAT JSON, GENERIC_PLAN) '"
                    + " || query; FETCH plans INTO plan; CLOSE plans; RETURN plan; END $$");
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        this.statement = connection.prepareStatement("SELECT pg_temp.sluice_explain(?)");
    }

    /** The query's plan, or its error; a lost connection is thrown. */
    Planned plan(String query) throws SQLException {
        long started = System.nanoTime();
        statement.setString(1, query);
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new Planned(PlanShape.parse(rs.getString(1)), null);
        } catch (SQLException e) {
            if (CallerErrors.isConnectionLost(e)) {
                throw e;
            }
            // The statement is the function's EXPLAIN of the query: the server's position is not in the query's text.
            return new Planned(null, CallerErrors.state(e));
        } finally {
            nanos += System.nanoTime() - started;
        }
    }

    /** Time spent planning so far. */
    long nanos() {
        return nanos;
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }
}
