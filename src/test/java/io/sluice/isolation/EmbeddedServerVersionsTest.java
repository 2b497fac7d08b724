package io.sluice.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.event.DatabaseTarget;

/**
 * Every PostgreSQL the artifact ships serves scratch work the same way: in a database the worker owns, copied from the
 * template as scratch databases are, the worker creates tables in schema public. Up to PostgreSQL 15 a NOINHERIT role
 * did not get pg_database_owner's rights there, and every script of every proof failed on a live server of 15 with
 * "permission denied for schema public"; the suite's live server is 17, so nothing here noticed.
 */
class EmbeddedServerVersionsTest {

    @TempDir
    static Path directory;

    static List<Integer> shipped() {
        return EmbeddedServer.shipped();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("shipped")
    void theWorkerCreatesTablesInPublicOfAScratchDatabase(int major) throws Exception {
        EmbeddedServer server = EmbeddedServer.of(major, new EmbeddedServer.Settings(directory.resolve("pg"), List.of(), "64MB"));
        String database = "scratch_versions_" + major;
        try (Connection admin = server.admin("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database + " OWNER " + EmbeddedServer.WORKER + " TEMPLATE " + EmbeddedServer.TEMPLATE);
        }
        DatabaseTarget worker = server.worker(database);
        try (Connection connection = DriverManager.getConnection(worker.jdbcUrl(), worker.username(), worker.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL)");
            statement.execute("INSERT INTO customers (email) VALUES ('a@example.com')");
            try (ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000, count(*) FROM customers")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(major);
                assertThat(rows.getInt(2)).isEqualTo(1);
            }
        }
    }
}
