package io.sluice.isolation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.sluice.event.DatabaseTarget;

/**
 * Scratch databases on a PostgreSQL the function starts itself ({@link EmbeddedServer}), of the live database's major
 * version: the default. The live server is only read (its version, its role names), with its own credentials.
 */
final class EmbeddedIsolation implements Isolation {

    private final EmbeddedServer.Settings settings;
    private final Opener opener;

    EmbeddedIsolation(EmbeddedServer.Settings settings, Opener opener) {
        this.settings = settings;
        this.opener = opener;
    }

    @Override
    public ScratchServer server(DatabaseTarget live, DatabaseTarget scratch) {
        int major;
        List<String> roles;
        try (Connection connection = opener.open(live)) {
            major = LiveFacts.major(connection);
            roles = LiveFacts.roles(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the live server's version and roles failed: SQLSTATE " + e.getSQLState(), e);
        }
        EmbeddedServer server = EmbeddedServer.of(major, settings);
        try {
            server.mirror(roles);
        } catch (SQLException e) {
            throw new IllegalStateException("the embedded PostgreSQL could not make the live server's role names: SQLSTATE "
                    + e.getSQLState(), e);
        }
        return new ScratchServer() {
            @Override
            public Connection admin() throws SQLException {
                return server.admin("postgres");
            }

            @Override
            public DatabaseTarget worker(String database) {
                return server.worker(database);
            }

            @Override
            public String owner() {
                return EmbeddedServer.WORKER;
            }

            @Override
            public String template() {
                return EmbeddedServer.TEMPLATE;
            }

            @Override
            public String description() {
                return "the embedded " + server.version();
            }

            @Override
            public String isolation() {
                return "embedded";
            }

            @Override
            public void afterUse(Connection admin) throws SQLException {
                server.resetWorker(admin);
            }
        };
    }
}
