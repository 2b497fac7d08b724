package io.sluice.command;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;

import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.migration.DatabaseConnector;

/**
 * A throw-away database on the target's server, for work that must not touch the real one (proving undo scripts,
 * probing locks). Created on open, dropped (even with sessions left) on close.
 */
final class ScratchDatabase implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Connection admin;
    private final String name;
    private final DatabaseTarget target;

    private ScratchDatabase(Connection admin, String name, DatabaseTarget target) {
        this.admin = admin;
        this.name = name;
        this.target = target;
    }

    static ScratchDatabase create(DatabaseConnector connector, DatabaseTarget real, String purpose) throws SQLException {
        String name = "sluice_scratch_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        Connection admin = connector.open(real, Duration.ofMinutes(2));
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            admin.close();
            throw new InvalidRequest(purpose + " needs to create a scratch database, and user '" + real.username() + "' may not: "
                    + e.getMessage() + ". Grant CREATEDB, or run without " + purpose + ".", e);
        }
        return new ScratchDatabase(admin, name, new DatabaseTarget(withDatabase(real.jdbcUrl(), name), real.username(), real.password()));
    }

    DatabaseTarget target() {
        return target;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } finally {
            admin.close();
        }
    }

    /** The same JDBC URL pointing at another database on the same server. */
    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String options = query < 0 ? "" : jdbcUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + options;
    }
}
