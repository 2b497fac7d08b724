package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The canary's probes run against the live database in a read-only transaction; these are the ways a security review
 * walked around that, each sent as an attacker would, as JSON through the real {@code canary-check} handler: two
 * statements that Sluice's old lexer read as one, a cast that echoed a column's values in the error, a probe that lifts
 * its own time limit, one that ends other sessions or takes locks. None may run; the data and the sessions stay.
 */
class ProbeGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestDatabase db;
    private CanaryCheckFunction canary;

    @BeforeEach
    void liveDatabase() {
        db = PostgresServer.get().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
        db.sql("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B')");
        db.sql("INSERT INTO orders (customer_id, total) SELECT id, 10 * id FROM customers");
        canary = new CanaryCheckFunction(Sluice.canary(), new FunctionBoundary(new EventCodec()));
    }

    private JsonNode check(List<String> probes, String probeRole) throws Exception {
        ObjectNode event = JSON.createObjectNode().put("deploymentId", "release-9").put("stage", 5);
        event.set("database", JSON.readTree(db.targetJson()));
        probes.forEach(event.putArray("probes")::add);
        if (probeRole != null) {
            event.put("probeRole", probeRole);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        canary.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // BEGIN ATOMIC opened a function body for the old lexer wherever ATOMIC followed BEGIN.
        "SELECT begin.atomic FROM (SELECT 1 AS atomic) AS begin; COMMIT; DELETE FROM orders WHERE id=2; SELECT 1 AS end",
        // After a non-ASCII character, $$ belongs to an identifier for PostgreSQL and pgjdbc, not to a dollar quote.
        "SELECT 1 AS €$$; COMMIT; DELETE FROM orders WHERE id=1; SELECT 1 AS €$$",
        "SELECT 1; DELETE FROM orders"})
    void twoStatementsDisguisedAsOne_areRefused_andNothingIsDeleted(String probe) {
        assertThatThrownBy(() -> check(List.of(probe), null)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'probes[0]': PostgreSQL's grammar does not read it as one statement");
        assertThat(db.rows("SELECT id FROM orders ORDER BY id")).containsExactly("1", "2");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT set_config('statement_timeout', '0', false)",
        "SELECT pg_catalog.\"set_config\"('statement_timeout', '0', false)",
        "SELECT set_config /* the time limit */ ('statement_timeout', '0', false), count(*) FROM orders",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
        "SELECT PG_CANCEL_BACKEND(pid) FROM pg_stat_activity",
        "SELECT pg_advisory_lock(42)",
        "SELECT pg_try_advisory_xact_lock(42)",
        "WITH x AS (SELECT lo_import('/etc/passwd')) SELECT * FROM x",
        "SELECT pg_read_file('/etc/passwd')",
        "SELECT pg_sleep(3600)",
        "SELECT nextval('orders_id_seq')"})
    void functionsThatActBeyondReading_areRefused(String probe) {
        assertThatThrownBy(() -> check(List.of("SELECT 1", probe), null)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'probes[1]' calls pg_catalog.").hasMessageContaining("(), which the live server resolves as"
                        + " VOLATILE: what runs on a live server before anyone approved it only reads");
    }

    @Test
    void aFailingProbe_saysWhichAndItsSqlState_neverTheServersTextThatQuotesTheData() throws Exception {
        JsonNode report = check(List.of("SELECT count(*) FROM orders", "SELECT CAST((SELECT string_agg(email, ',') FROM customers) AS int)"),
                null);

        JsonNode probe = signal(report, "probe-p95");
        assertThat(probe.get("status").asText()).isEqualTo("FAILED");
        assertThat(probe.get("message").asText()).isEqualTo("probe 2 failed: SQLSTATE 22P02 (invalid_text_representation)");
        assertThat(report.toString()).doesNotContain("a@example.com").doesNotContain("b@example.com");
    }

    @Test
    void probesRunAsTheDeploymentsProbeRole_andAnEventThatNamesARoleIsRefused() throws Exception {
        JsonNode who = signal(check(List.of("SELECT 1 FROM orders WHERE current_user = 'sluice_probe' AND session_user = 'sluice_probe'"
                + " AND current_setting('transaction_read_only') = 'on' HAVING count(*) = 2"), null), "probe-p95");

        assertThat(who.get("status").asText()).isEqualTo("OK");
        assertThatThrownBy(() -> check(List.of("SELECT 1"), PostgresServer.APP_USER)).isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("probeRole");
        assertThat(db.rows("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
                + " WHERE r.rolname = 'sluice_probe'")).as("a member of no role, pg_read_all_data neither").containsExactly("0");
    }

    /**
     * The attack: with pg_read_all_data the probe role read pg_authid, and a probe that divides by zero or not on one
     * bit of a password verifier leaked it through its SQLSTATE, one bit per canary check. Now the role reads the
     * managed schema's tables and views only: the catalogs' secrets are as closed to it as to any role.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1 / (ascii(substr((SELECT rolpassword FROM pg_authid WHERE rolname = current_user), 20, 1)) > 36)::int",
        "SELECT count(*) FROM pg_catalog.pg_user_mapping",
        "SELECT count(*) FROM pg_statistic",
        "SELECT 1 / (SELECT count(*) FROM sluice.rollback_audit)::int"})
    void theCatalogsSecretsAndOtherSchemas_areClosedToProbes_soNoBitLeaksThroughTheSqlState(String probe) throws Exception {
        JsonNode signal = signal(check(List.of(probe), null), "probe-p95");

        assertThat(signal.get("message").asText()).isEqualTo("probe 1 failed: SQLSTATE 42501 (insufficient_privilege)");
    }

    @Test
    void aTableAMigrationAdded_isReadByTheNextCheck_andAProbesTempFilesAreBoundedOnTheLiveServer() throws Exception {
        assertThat(signal(check(List.of("SELECT count(*) FROM orders"), null), "probe-p95").get("status").asText()).isEqualTo("OK");
        db.sql("CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL)");
        db.sql("CREATE VIEW refund_totals AS SELECT order_id, count(*) AS refunds FROM refunds GROUP BY order_id");

        JsonNode added = signal(check(List.of("SELECT count(*) FROM refunds", "SELECT count(*) FROM refund_totals"), null), "probe-p95");
        // 20 million integers sorted spill far past the probe role's 64MB of temporary files (work_mem is 4MB).
        JsonNode spill = signal(check(List.of("SELECT count(*) FROM (SELECT g FROM generate_series(1, 20000000) g ORDER BY g DESC"
                + " OFFSET 1) s"), null), "probe-p95");

        assertThat(added.get("status").asText()).as(added.toString()).isEqualTo("OK");
        assertThat(spill.get("message").asText()).isEqualTo("probe 1 failed: SQLSTATE 53400 (configuration_limit_exceeded: temp_file_limit)");
        assertThat(db.rows("SELECT setconfig::text FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                + " WHERE r.rolname = 'sluice_probe'")).singleElement().asString().contains("temp_file_limit=64MB");
    }

    private static JsonNode signal(JsonNode report, String check) {
        for (JsonNode signal : report.get("signals")) {
            if (signal.get("check").asText().equals(check)) {
                return signal;
            }
        }
        throw new AssertionError("no " + check + " signal in " + report);
    }
}
