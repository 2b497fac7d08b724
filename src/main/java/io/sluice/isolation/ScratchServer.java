package io.sluice.isolation;

import java.sql.Connection;
import java.sql.SQLException;

import io.sluice.event.DatabaseTarget;

/**
 * Where scratch databases are made for one piece of work, as an isolation gives it: Sluice's own sessions that create,
 * watch and drop them, and the login what the release carries runs with inside one.
 */
public interface ScratchServer {

    /** A session of Sluice's on the server, in a database scratch databases are created from ({@code CREATEDB}). */
    Connection admin() throws SQLException;

    /** The login the work in scratch database {@code database} uses. */
    DatabaseTarget worker(String database);

    /** The role to own a new scratch database; null: the one {@link #admin()} logs in as. */
    String owner();

    /** The database new scratch databases are copied from; null: the server's default ({@code template1}). */
    String template();

    /** What it is, for logs and notes: "the embedded PostgreSQL 17.11", "scratch server db.internal:5432". */
    String description();

    /** Which isolation gave it: {@code embedded}, {@code server}, {@code role}. */
    String isolation();

    /**
     * Sets right, once a scratch database is dropped, what the work in it could change of a login Sluice owns (its
     * password, its settings: {@code ALTER ROLE CURRENT_USER ...} needs no privilege), so that the next piece of work,
     * and nobody else, meets it as it was made. A login the isolation does not own (a team's scratch server's) is left.
     *
     * @param admin the {@link #admin()} session the scratch database was made and dropped in
     */
    default void afterUse(Connection admin) throws SQLException {
    }
}
