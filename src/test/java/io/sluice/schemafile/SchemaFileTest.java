package io.sluice.schemafile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.InvalidRequest;
import io.sluice.event.FileLocation;
import io.sluice.event.FindingCode;
import io.sluice.event.SchemaFileReport;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The schema as a file on real PostgreSQL: {@code export} gives the same bytes for the same schema (two runs, two
 * databases, the history built in a scratch database or the live database read), the file reads back into the same
 * schema, a file that is not a schema is refused before anything runs, and preflight's {@code schemaFile} finds a
 * checked-in file equal or says how it differs.
 */
class SchemaFileTest {

    private static String export(TestDatabase db, ScriptFolder history, String version) {
        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source()).version(version).export());
        assertThat(report.valid()).isTrue();
        return report.schemaFile().sql();
    }

    @Test
    void theSameSchema_givesTheSameBytes_twoRuns_twoDatabases_historyOrLive_andReadsBackIntoItself(@TempDir Path dir) throws Exception {
        ScriptFolder history = SchemaHistory.in(dir.resolve("migrations"));
        TestDatabase first = PostgresServer.get().newDatabase();
        TestDatabase second = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(first.target()).migrations(history.source()).build(), Duration.ofMinutes(1));
        Sluice.migrate().run(MigrateEvent.against(second.target()).migrations(history.source()).build(), Duration.ofMinutes(1));

        String built = export(first, history, "latest");
        String again = export(first, history, "latest");
        String live = export(first, history, "live");
        String otherLive = export(second, history, "live");

        assertThat(again).isEqualTo(built);
        assertThat(live).isEqualTo(built);
        assertThat(otherLive).isEqualTo(built);
        assertThat(built).startsWith(SchemaFile.HEADER)
                .contains("CREATE TYPE public.customer_tier AS ENUM ('basic', 'gold', 'platinum');")
                .contains("CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id);")
                .contains("CREATE INDEX orders_open_idx ON public.orders USING btree (placed_at) WHERE (status <> 'shipped'::text);")
                .doesNotContain("CONCURRENTLY").doesNotContain("OWNER").doesNotContain("GRANT").doesNotContain("flyway_schema_history");
        // Dependency order: the type before the table, the table before its index, a view before the view on it.
        assertThat(built.indexOf("CREATE TYPE public.customer_tier")).isLessThan(built.indexOf("CREATE TABLE public.customers"));
        assertThat(built.indexOf("CREATE TABLE public.orders")).isLessThan(built.indexOf("CREATE INDEX orders_customer_idx"));
        assertThat(built.indexOf("CREATE VIEW public.open_orders ")).isLessThan(built.indexOf("CREATE VIEW public.open_order_totals"));

        // Read back: the file run in an empty database is the same schema, which writes the same file.
        TestDatabase fromFile = PostgresServer.get().newDatabase();
        try (Connection connection = fromFile.connect()) {
            SchemaFile.apply(connection, built, "schema.sql");
        }
        assertThat(export(fromFile, history, "live")).isEqualTo(built);

        // At an earlier version, the schema of that version.
        String atTwo = export(first, history, "2");
        assertThat(atTwo).contains("CREATE TABLE public.orders").doesNotContain("orders_customer_idx").doesNotContain("open_orders");
    }

    @Test
    void aFileThatIsNotASchema_isRefused_namingItsLine_beforeAnythingRuns() {
        assertThatThrownBy(() -> SchemaFile.statements("CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n", "schema.sql"))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("schema.sql, line 2: a schema file holds CREATE, ALTER and COMMENT statements only, not INSERT");
        assertThatThrownBy(() -> SchemaFile.statements("CREATE TABLE a (id int);\n\nALTER ROLE sluice_app SUPERUSER;\n", "schema.sql"))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("schema.sql, line 3: ALTER ROLE (roles belong to the whole server) acts beyond one database; a schema file"
                        + " describes one");
        assertThatThrownBy(() -> SchemaFile.statements("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'DROP DATABASE x';"
                + " END $$;\n", "schema.sql"))
                .isInstanceOf(InvalidRequest.class).hasMessage("schema.sql, line 1: DROP DATABASE (acts on a database other than its own) acts"
                        + " beyond one database; a schema file describes one");
        assertThatThrownBy(() -> SchemaFile.statements("\nCREATE FUNCTION f(t text) RETURNS void LANGUAGE plpgsql AS $$ BEGIN"
                + " EXECUTE 'DROP TABLE ' || t; END $$;\n", "schema.sql"))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("schema.sql, line 2: cannot be shown to stay in one database:");
        assertThatThrownBy(() -> SchemaFile.statements("CREATE TABLE a (id int); DROP DATABASE postgres;", "schema.sql"))
                .isInstanceOf(InvalidRequest.class).hasMessage("schema.sql, line 1: a schema file holds CREATE, ALTER and COMMENT statements"
                        + " only, not DROP");
    }

    @Test
    void preflightsSchemaFile_isEqualToTheHistory_orSaysHowItDiffers(@TempDir Path dir) throws Exception {
        ScriptFolder history = SchemaHistory.in(dir.resolve("migrations"));
        TestDatabase db = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(history.source()).build(), Duration.ofMinutes(1));
        String exported = export(db, history, "latest");
        // A pending script too: the file describes the schema the release leaves.
        history.with("V5__order_notes.sql", "ALTER TABLE orders ADD COLUMN gift_note text;\n")
                .with("U5__order_notes.sql", "ALTER TABLE orders DROP COLUMN gift_note;\n");
        Path file = Files.writeString(dir.resolve("schema.sql"), exported.replace("    placed_at", "    placed_at"));

        ValidateReport stale = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source())
                .schemaFile(FileLocation.parse("filesystem:" + file)).preflight());

        assertThat(stale.valid()).isFalse();
        SchemaFileReport report = stale.schemaFile();
        assertThat(report.equal()).isFalse();
        assertThat(report.version()).isEqualTo("5");
        assertThat(report.differences()).extracting(difference -> difference.kind() + " " + difference.name() + " " + difference.change())
                .containsExactly("column public.orders.gift_note REMOVED");
        assertThat(report.reconcileScript()).isEqualTo("ALTER TABLE public.orders ADD COLUMN gift_note text;\n");
        assertThat(stale.findings()).filteredOn(finding -> finding.code() == FindingCode.SCHEMA_FILE_DIFFERS)
                .extracting(finding -> finding.message()).containsExactly("filesystem:" + file + " and the history differ: column"
                        + " public.orders.gift_note is in the history, not in the file; regenerate the file (validate mode export) or change"
                        + " the migrations");
        assertThat(report.sql()).contains("gift_note text");

        Files.writeString(file, report.sql());
        ValidateReport current = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(history.source())
                .schemaFile(FileLocation.parse("filesystem:" + file)).preflight());
        assertThat(current.schemaFile().equal()).isTrue();
        assertThat(current.findings()).noneMatch(finding -> finding.code() == FindingCode.SCHEMA_FILE_DIFFERS);
        assertThat(current.schemaFile().differences()).isEmpty();
    }

    @Test
    void aSchemaFileOutsideTheFileRoots_isRefused() {
        TestDatabase db = PostgresServer.get().newDatabase();
        assertThatThrownBy(() -> Sluice.validate().run(ValidateEvent.against(db.target())
                .schemaFile(FileLocation.parse("filesystem:/etc/passwd")).preflight()))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("field 'schemaFile'");
    }
    /** The review's attacks on a schema file, each refused before it runs, or failing by its SQLSTATE and line alone. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            CREATE TABLE stolen AS SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '') AS x; | line 1: a schema file never runs a query
            CREATE UNLOGGED TABLE IF NOT EXISTS stolen (x) AS SELECT 1;                                                          | line 1: a schema file never runs a query
            CREATE MATERIALIZED VIEW m AS SELECT pg_sleep(25);                                                                   | line 1: a schema file never runs a query
            CREATE VIEW v AS SELECT U&"pg_termin\\0061te_backend"(1);                                                            | line 1: pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond one database
            CREATE TABLE p (d int) PARTITION BY LIST (d);\\nCREATE TABLE p1 PARTITION OF p FOR VALUES IN (CAST((SELECT string_agg(query, ',') FROM pg_stat_activity) AS int)); | line 2: a partition bound in a schema file is literals only
            CREATE TABLE p (d int) PARTITION BY LIST (d);\\nCREATE TABLE p1 PARTITION OF p FOR VALUES IN (length(pg_sleep(25)::text)); | line 2: a partition bound in a schema file is literals only
            """)
    void aSchemaFileThatWouldRunAQuery_orActBeyondItsDatabase_isRefusedBeforeAnythingRuns(String file, String message) {
        assertThatThrownBy(() -> SchemaFile.statements(file.replace("\\n", "\n"), "schema.sql")).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("schema.sql, " + message);
    }

    @Test
    void aSchemaFileStatementPostgresRefuses_isNamedByItsLineAndSqlState_neverByTheServersText() throws Exception {
        TestDatabase empty = PostgresServer.get().newDatabase();
        try (Connection connection = empty.connect()) {
            assertThatThrownBy(() -> SchemaFile.apply(connection, "CREATE TABLE a (id int);\n\nCREATE TABLE b (a_id int,\n  note secret_type);\n",
                    "schema.sql")).isInstanceOf(InvalidRequest.class)
                    .hasMessage("schema.sql, line 3: PostgreSQL refused it: SQLSTATE 42704 (undefined_object) at line 4, column 8"
                            + " (\"secret_type\")");
        }
    }
}
