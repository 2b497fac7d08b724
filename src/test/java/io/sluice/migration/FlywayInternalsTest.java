package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resource.StringResource;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.event.SchemaName;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.TestDatabase;

/**
 * Pins what {@link FlywayInternals} relies on against the real Flyway: how it reports a failed script, the key of
 * its advisory lock, its message when it gives up on that lock; and holds Sluice's lexer to Flyway's own split on
 * every SQL fixture, so the scripts Sluice lints and plans are the statements Flyway runs.
 */
class FlywayInternalsTest {

    private static PGSimpleDataSource dataSource(TestDatabase db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(PostgresServer.APP_USER);
        dataSource.setPassword(PostgresServer.APP_PASSWORD);
        return dataSource;
    }

    @Test
    void failedTransactionalScript_isReportedWithScriptStateAndLine(@TempDir Path dir) {
        TestDatabase db = PostgresServer.get().newDatabase();
        new ScriptFolder(dir).with("V1__bad.sql", "CREATE TABLE a (id int);\n\nINSERT INTO missing VALUES (1);");
        Flyway flyway = Flyway.configure().dataSource(dataSource(db)).locations("filesystem:" + dir).load();

        FlywayException failure = org.assertj.core.api.Assertions.catchThrowableOfType(FlywayException.class, flyway::migrate);

        assertThat(FlywayInternals.scriptFailure(failure)).contains(
                new FlywayInternals.ScriptFailure("V1__bad.sql", "42P01", 3, true));
        assertThat(FlywayInternals.scriptFailure(new FlywayException("not a script failure"))).isEmpty();
    }

    @Test
    void flywaysOwnLock_hasTheKeySluiceComputes_andGivingUpOnIt_isRecognised(@TempDir Path dir) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        new ScriptFolder(dir).with("V1__slow.sql", "SELECT pg_sleep(1.5);");
        Flyway flyway = Flyway.configure().dataSource(dataSource(db)).locations("filesystem:" + dir)
                .configuration(java.util.Map.of("flyway.postgresql.transactional.lock", "false")).lockRetryCount(1).load();

        CompletableFuture<?> migrating = CompletableFuture.runAsync(flyway::migrate);
        long key = FlywayInternals.lockKey(SchemaName.PUBLIC);
        List<String> holders = List.of();
        for (int poll = 0; poll < 50 && holders.isEmpty(); poll++) {
            Thread.sleep(20);
            holders = db.rows("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
                    + " AND ((classid::bigint << 32) | objid::bigint) = " + key);
        }
        migrating.get(30, TimeUnit.SECONDS);

        assertThat(holders).as("a backend held advisory lock %d while Flyway migrated", key).hasSize(1);

        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + key + ")");
            new ScriptFolder(dir).with("V2__more.sql", "SELECT 1;");
            assertThatThrownBy(flyway::migrate).satisfies(e -> assertThat(FlywayInternals.isLockRetriesExceeded(e)).isTrue());
        }
    }

    static Stream<Path> sqlFixtures() throws IOException {
        List<Path> roots = List.of(Path.of("src/test/resources"), Path.of("src/main/resources/db"));
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(file -> file.toString().endsWith(".sql")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("sqlFixtures")
    void sluicesSplit_isFlywaysSplit(Path fixture) throws IOException {
        String sql = Files.readString(fixture);

        assertThat(SqlText.split(sql).stream().map(FlywayInternalsTest::normalized).toList()).isEqualTo(flywaySplit(sql));
    }

    @Test
    void sluicesSplit_isFlywaysSplit_onTheHardCases() {
        String sql = String.join("\n",
                "INSERT INTO paths VALUES ('C:\\');",
                "ALTER TABLE t ALTER COLUMN c DROP NOT NULL;",
                "SELECT E'it\\'s; fine', 'it''s; fine', $$a;b$$, $fn$ x; $$ y; $fn$;",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;",
                "/* a /* nested; */ comment; */ SELECT \"odd;name\" FROM t; -- trailing; comment",
                "DO $body$ BEGIN RAISE NOTICE 'x;y'; END $body$;");

        assertThat(SqlText.split(sql).stream().map(FlywayInternalsTest::normalized).toList()).isEqualTo(flywaySplit(sql))
                .hasSize(6);
    }

    private static String normalized(SqlStatement statement) {
        return statement.line() + ": " + SqlText.withoutComments(statement.text()).replaceAll("\\s+", " ").strip();
    }

    private static List<String> flywaySplit(String sql) {
        PostgreSQLParser parser = new PostgreSQLParser(Flyway.configure(), new ParsingContext());
        List<String> statements = new ArrayList<>();
        try (SqlStatementIterator iterator = parser.parse(new StringResource(sql))) {
            while (iterator.hasNext()) {
                org.flywaydb.core.internal.sqlscript.SqlStatement statement = iterator.next();
                String text = SqlText.withoutComments(statement.getSql()).replaceAll("\\s+", " ").strip();
                if (text.endsWith(";")) {
                    text = text.substring(0, text.length() - 1).strip();
                }
                statements.add(statement.getLineNumber() + ": " + text);
            }
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("Flyway could not parse it", e));
        }
        return statements;
    }
}
