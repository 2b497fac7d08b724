package io.sluice.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.ValidateFunction;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The compatibility proof through the real {@code validate} handler, as JSON: the application's queries prepared in a
 * scratch database at the current version, after each pending script, and the script that breaks each one named.
 */
class CompatibilityProofTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String V1 = """
            CREATE TABLE customers (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              email text NOT NULL UNIQUE,
              full_name text,
              created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE orders (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              customer_id bigint NOT NULL REFERENCES customers (id),
              total numeric(12, 2) NOT NULL,
              status text NOT NULL DEFAULT 'new',
              meta jsonb NOT NULL DEFAULT '{}'
            );
            CREATE FUNCTION order_count(customer bigint) RETURNS bigint LANGUAGE sql STABLE
              AS $$ SELECT count(*) FROM orders WHERE customer_id = customer $$;
            """;

    /** What the running application asks: a join with JSON operators, an aggregate, a CTE, a function call. */
    private static final List<String> RUNNING = List.of(
            "SELECT c.email, o.meta->>'channel' AS channel FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1",
            "SELECT status, count(*), sum(total) FROM orders GROUP BY status",
            "WITH recent AS (SELECT * FROM customers WHERE created_at > now() - interval '1 day') SELECT id, full_name FROM recent",
            "SELECT order_count($1::bigint)");

    private TestDatabase db;
    private ScriptFolder scripts;
    private ValidateFunction validate;

    @BeforeEach
    void currentRelease(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir.resolve("migrations")).with("V1__customers_and_orders.sql", V1);
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));
        validate = new ValidateFunction(Sluice.validate(), new FunctionBoundary(new EventCodec()));
    }

    private JsonNode preflight(ObjectNode compatibility) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("mode", "preflight").put("migrations", scripts.source().location());
        event.set("database", JSON.readTree(db.targetJson()));
        event.set("compatibility", compatibility);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        validate.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static ObjectNode queries(List<String> running, List<String> newQueries) {
        ObjectNode compatibility = JSON.createObjectNode();
        running.forEach(compatibility.putArray("queries")::add);
        if (!newQueries.isEmpty()) {
            newQueries.forEach(compatibility.putArray("newQueries")::add);
        }
        return compatibility;
    }

    private static List<String> broken(JsonNode report) {
        List<String> broken = new ArrayList<>();
        report.path("compatibility").path("broken").forEach(entry -> broken.add(entry.path("source").asText() + " "
                + entry.path("release").asText() + " " + entry.path("phase").asText() + " by " + entry.path("brokenBy").asText()
                + ": " + entry.path("error").asText()));
        return broken;
    }

    private static List<String> findings(JsonNode report, String code) {
        List<String> found = new ArrayList<>();
        report.path("findings").forEach(finding -> {
            if (finding.path("code").asText().equals(code)) {
                found.add(finding.path("severity").asText() + " " + finding.path("script").asText() + ": " + finding.path("message").asText());
            }
        });
        return found;
    }

    @Test
    void aDroppedColumnInAnExpandScript_breaksTheRunningQuery_namesTheScript_andPreflightIsInvalid() throws Exception {
        scripts.with("V2__add_display_name.sql", "ALTER TABLE customers ADD COLUMN display_name text;")
                .with("V3__drop_status.sql", "ALTER TABLE orders DROP COLUMN status;")
                .with("V4__index_orders.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);");

        JsonNode report = preflight(queries(RUNNING, List.of()));

        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(broken(report)).containsExactly(
                "queries[1] running expand by V3__drop_status.sql: SQLSTATE 42703 (undefined_column) at line 1, column 8 (\"status\")");
        assertThat(findings(report, "INCOMPATIBLE_QUERY")).singleElement().asString()
                .startsWith("ERROR V3__drop_status.sql: the running application's query (queries[1]) SELECT status, count(*),"
                        + " sum(total) FROM orders GROUP BY status prepares at the current version and fails after"
                        + " V3__drop_status.sql: SQLSTATE 42703")
                .endsWith("move the change to a contract script ('-- sluice:phase contract') that runs after the new release serves"
                        + " all of it");
        assertThat(report.path("compatibility").path("checked").asInt()).isEqualTo(4);
        assertThat(report.path("compatibility").path("compatible").asInt()).isEqualTo(3);
        assertThat(report.path("compatibility").path("unchecked")).isEmpty();
        assertThat(db.rows("SELECT count(*) FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'")).containsExactly("0");
    }

    @Test
    void theSameDropInAContractScript_isReportedAsExpected_andTheNewReleasesQueriesMustPrepareOnTheExpandedSchema() throws Exception {
        scripts.with("V2__add_display_name.sql", "ALTER TABLE customers ADD COLUMN display_name text;")
                .with("V3__drop_full_name.sql", "-- sluice:phase contract\nALTER TABLE customers DROP COLUMN full_name;");

        JsonNode report = preflight(queries(RUNNING, List.of("SELECT id, display_name FROM customers WHERE email = $1")));

        assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
        assertThat(broken(report)).containsExactly("queries[2] running contract by V3__drop_full_name.sql: SQLSTATE 42703"
                + " (undefined_column) at line 1, column 97 (\"full_name\")");
        assertThat(findings(report, "INCOMPATIBLE_QUERY")).isEmpty();
        assertThat(report.path("pending").findValuesAsText("phase")).containsExactly("expand", "contract");
    }

    @Test
    void aNewQueryThatNeedsAContractScript_isAnError_namingIt() throws Exception {
        scripts.with("V2__rename.sql", "-- sluice:phase contract\nALTER TABLE customers RENAME COLUMN full_name TO name;");

        JsonNode report = preflight(queries(List.of(), List.of("SELECT name FROM customers")));

        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(broken(report)).containsExactly("newQueries[0] new contract by V2__rename.sql: SQLSTATE 42703"
                + " (undefined_column) at line 1, column 8 (\"name\")");
        assertThat(findings(report, "INCOMPATIBLE_QUERY")).singleElement().asString().startsWith("ERROR V2__rename.sql: the new"
                + " release's query (newQueries[0]) SELECT name FROM customers prepares only after contract script V2__rename.sql,"
                + " and the new release runs on the expanded schema until Contract");
    }

    @Test
    void aQueryThatDoesNotPrepareToday_isUnchecked_byItsSqlStateAndPlace_neverTheServersText() throws Exception {
        scripts.with("V2__noop.sql", "COMMENT ON TABLE customers IS 'who orders';");

        JsonNode report = preflight(queries(List.of("SELECT nope FROM customers",
                "SELECT CAST((SELECT string_agg(email, ',') FROM customers) AS int)"), List.of()));

        assertThat(report.path("valid").asBoolean()).isTrue();
        assertThat(report.path("compatibility").path("unchecked").findValuesAsText("source")).containsExactly("queries[0]");
        assertThat(report.path("compatibility").path("unchecked").get(0).path("error").asText())
                .isEqualTo("SQLSTATE 42703 (undefined_column) at line 1, column 8 (\"nope\")");
        assertThat(report.toString()).doesNotContain("does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 1 AS €$$; DELETE FROM customers; SELECT 1 AS €$$", "SELECT id FROM customers; DROP TABLE orders",
        "EXECUTE \"S_3\"(query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '')::text)",
        "DO $$ BEGIN DELETE FROM orders; END $$"})
    void twoStatementsDisguisedAsOne_orAStatementThatIsNoQuery_areRefused_namingTheQuery_andNothingIsSent(String query) {
        scripts.with("V2__noop.sql", "COMMENT ON TABLE customers IS 'who orders';");
        List<String> orders = db.rows("SELECT count(*) FROM orders");

        assertThatThrownBy(() -> preflight(queries(List.of("SELECT id FROM customers", query), List.of())))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("field 'compatibility.queries[1]': ");
        assertThat(db.rows("SELECT count(*) FROM orders")).isEqualTo(orders);
        assertThat(db.rows("SELECT to_regclass('orders') IS NOT NULL")).containsExactly("t");
        assertThat(db.rows("SELECT count(*) FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'")).containsExactly("0");
    }

    @Test
    void queriesFromAFolder_areRead_butOnlyUnderTheFileRoots(@TempDir Path queries) throws Exception {
        Files.writeString(queries.resolve("by_status.sql"), "SELECT status FROM orders WHERE status = $1;\n");
        Files.writeString(queries.resolve("README.txt"), "not a query");
        scripts.with("V2__drop_status.sql", "ALTER TABLE orders DROP COLUMN status;");
        ObjectNode compatibility = JSON.createObjectNode().put("queriesFrom", "filesystem:" + queries);

        assertThat(broken(preflight(compatibility))).containsExactly("queriesFrom:by_status.sql running expand by V2__drop_status.sql:"
                + " SQLSTATE 42703 (undefined_column) at line 1, column 8 (\"status\")");
        assertThatThrownBy(() -> preflight(JSON.createObjectNode().put("queriesFrom", "filesystem:/etc")))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("compatibility.queriesFrom");
    }

    @Test
    void pgStatStatements_givesTheLiveDatabasesMostCalledQueries_thatTouchTheSchema() throws Exception {
        db.superuserSql("CREATE EXTENSION pg_stat_statements");
        db.sql("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A')");
        for (int i = 0; i < 5; i++) {
            db.rows("SELECT status FROM orders WHERE customer_id = " + i);
            db.rows("SELECT full_name FROM customers WHERE id = " + i);
        }
        db.rows("SELECT 42 AS unrelated");
        scripts.with("V2__drop_status.sql", "ALTER TABLE orders DROP COLUMN status;");
        ObjectNode compatibility = JSON.createObjectNode();
        compatibility.putObject("pgStatStatements").put("top", 10);

        JsonNode report = preflight(compatibility);

        assertThat(broken(report)).singleElement().asString().matches("pgStatStatements:-?\\d+ running expand by V2__drop_status.sql:"
                + " SQLSTATE 42703 \\(undefined_column\\) at line 1, column 8 \\(\"status\"\\)");
        assertThat(report.path("compatibility").path("broken").get(0).path("query").asText())
                .isEqualTo("SELECT status FROM orders WHERE customer_id = $1");
        assertThat(report.path("findings").findValuesAsText("code")).contains("INCOMPATIBLE_QUERY");
        assertThat(report.path("compatibility").path("checked").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void pgStatStatementsAbsent_isSkippedWithANote() throws Exception {
        scripts.with("V2__noop.sql", "COMMENT ON TABLE customers IS 'who orders';");
        ObjectNode compatibility = JSON.createObjectNode();
        compatibility.putObject("pgStatStatements").put("top", 10);

        JsonNode report = preflight(compatibility);

        assertThat(report.path("valid").asBoolean()).isTrue();
        assertThat(report.path("compatibility").path("notes").get(0).asText())
                .startsWith("pgStatStatements skipped: the extension pg_stat_statements is not installed in this database");
    }

    @Test
    void aPendingScriptWithDynamicSql_cannotBeProven_andThatIsAnError() throws Exception {
        scripts.with("V2__dynamic.sql", "DO $$ BEGIN EXECUTE format('ALTER TABLE %I DROP COLUMN status', 'orders'); END $$;");

        JsonNode report = preflight(queries(RUNNING, List.of()));

        assertThat(report.path("valid").asBoolean()).isFalse();
        assertThat(findings(report, "INCOMPATIBLE_QUERY")).singleElement().asString()
                .startsWith("ERROR null: the compatibility of the application's queries cannot be proven: not provable: V2__dynamic.sql line 1:");
        assertThat(db.rows("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status'")).containsExactly("1");
    }


}
