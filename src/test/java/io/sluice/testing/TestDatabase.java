package io.sluice.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.sluice.event.DatabaseTarget;

/** One database on the shared test server, with the helpers tests use to look at it directly. */
public final class TestDatabase {

    private final PostgresServer server;
    private final String name;
    private final String user;
    private final String password;

    TestDatabase(PostgresServer server, String name) {
        this(server, name, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);
    }

    /** A database the helpers below look at as {@code user}. */
    TestDatabase(PostgresServer server, String name, String user, String password) {
        this.server = server;
        this.name = name;
        this.user = user;
        this.password = password;
    }

    /** The server the database is on. */
    public PostgresServer server() {
        return server;
    }

    /** The application role that owns the database. */
    public String user() {
        return user;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + name;
    }

    /** The target as an event carries it: the application role with its password. */
    public DatabaseTarget target() {
        return new DatabaseTarget(jdbcUrl(), user, password);
    }

    /** The {@code database} object of an event, as JSON. */
    public String targetJson() {
        return "{\"jdbcUrl\":\"" + jdbcUrl() + "\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    /** A connection as the application role (the owner of a {@link PostgresServer#freshDatabase}), autocommit on. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    public void sql(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empties the database as a new instance would be, but for Sluice's state schema, kept at its version with its
     * records removed: a warm function remembers it brought that schema up to date, as it would for a database it
     * keeps serving.
     */
    public void clear() {
        superuserSql("DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION " + user);
        superuserSql("""
                DO $$ DECLARE t text; BEGIN
                  FOR t IN SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
                            WHERE schemaname = 'sluice' AND tablename <> 'sluice_state_history' LOOP
                    EXECUTE 'TRUNCATE ' || t;
                  END LOOP;
                END $$""");
    }

    /** Runs {@code sql} as the superuser: for changes the application role may not make. */
    public void superuserSql(String sql) {
        try (Connection connection = server.superuserConnection(name); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Every row of a query, each row's columns joined by '|'. */
    public List<String> rows(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Writes a successful row into a Flyway history table (created as Flyway creates it), as another tool would. */
    public void historyRow(int rank, String version, String description, String script, int checksum) {
        sql("CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50),"
                + " description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int,"
                + " installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL,"
                + " success boolean NOT NULL)");
        sql("INSERT INTO flyway_schema_history VALUES (" + rank + ", '" + version + "', '" + description + "', 'SQL', '" + script
                + "', " + checksum + ", 'someone', now(), 5, true)");
    }

    /** Flyway's history: version|script|success, in order. */
    public List<String> history() {
        return rows("SELECT coalesce(version, 'R'), script, success FROM flyway_schema_history"
                + " WHERE type <> 'SCHEMA' ORDER BY installed_rank");
    }

    public boolean tableExists(String table) {
        return !rows("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'").isEmpty();
    }

    /** A fingerprint of the user-visible schema: relations, columns, indexes, constraints, in a stable order. */
    public List<String> schemaFingerprint() {
        return rows("""
                SELECT c.relkind::text || ' ' || c.relname || coalesce(' ' || string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attnotnull THEN '!' ELSE '' END, ',' ORDER BY a.attnum), '')
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 GROUP BY c.relkind, c.relname
                UNION ALL
                SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                ORDER BY 1
                """);
    }
}
