package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL 17 per test JVM (embedded binaries, no Docker). Every test gets a database of its own from
 * {@link #newDatabase()}. The server asks for a password (scram-sha-256) from every role but the superuser, so
 * tests run the same authentication path as RDS.
 */
public final class PostgresServer {

    /** The role Sluice connects as in tests, and its password: a value no log line or result may ever contain. */
    public static final String APP_USER = "sluice_app";
    public static final String APP_PASSWORD = "Pw-7f3c9e1b-never-in-logs";

    private static PostgresServer instance;

    private final EmbeddedPostgres postgres;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static synchronized PostgresServer get() {
        if (instance == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "120")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setDataDirectoryCustomizer(PostgresServer::requirePasswords)
                        .start();
                instance = new PostgresServer(postgres);
                instance.superuser("CREATE ROLE " + APP_USER + " LOGIN CREATEDB PASSWORD '" + APP_PASSWORD + "'");
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return instance;
    }

    private static void requirePasswords(java.io.File dataDirectory) {
        try {
            Files.writeString(Path.of(dataDirectory.getPath(), "pg_hba.conf"), String.join("\n",
                    "local all postgres trust",
                    "host  all postgres 127.0.0.1/32 trust",
                    "host  all postgres ::1/128 trust",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256",
                    "host  all all ::1/128 scram-sha-256", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** A new, empty database owned by the application role. */
    public TestDatabase newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        superuser("CREATE DATABASE " + name + " OWNER " + APP_USER);
        TestDatabase database = new TestDatabase(this, name);
        database.superuserSql("ALTER SCHEMA public OWNER TO " + APP_USER);
        return database;
    }

    /** A new database copied from {@code template} (which must have no open connections). */
    public TestDatabase copyOf(TestDatabase template) {
        String name = "t" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        superuser("CREATE DATABASE " + name + " TEMPLATE " + template.name() + " OWNER " + APP_USER);
        return new TestDatabase(this, name);
    }

    Connection superuserConnection(String database) throws SQLException {
        return postgres.getDatabase("postgres", database).getConnection();
    }

    private void superuser(String sql) {
        try (Connection connection = superuserConnection("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
