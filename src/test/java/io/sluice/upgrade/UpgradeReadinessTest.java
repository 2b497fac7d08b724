package io.sluice.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.cli.LocalFunctions;
import io.sluice.function.FullReports;
import io.sluice.workflow.HandlerInvocation;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Readiness for an engine upgrade through RDS Blue/Green, on real servers: the tests' own (wal_level replica, hundreds
 * of databases) with what logical replication does not carry, and one started as RDS starts a blue ready for it
 * (wal_level logical), where a clean database has nothing to report.
 */
class UpgradeReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Finding> check(Connection connection, int target) throws Exception {
        return new UpgradeReadiness().check(connection, target);
    }

    private static List<String> codes(List<Finding> findings) {
        return findings.stream().map(finding -> finding.code().name()).toList();
    }

    private static Finding only(List<Finding> findings, FindingCode code) {
        List<Finding> of = findings.stream().filter(finding -> finding.code() == code).toList();
        assertThat(of).as("%s in %s", code, findings).hasSize(1);
        return of.get(0);
    }

    @Test
    void whatLogicalReplicationDoesNotCarry_isFound_withItsFix() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.sql("""
                CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);
                CREATE TABLE events (at timestamptz NOT NULL, payload jsonb);
                CREATE TABLE "Audit Log" (at timestamptz NOT NULL, what text);
                ALTER TABLE "Audit Log" REPLICA IDENTITY FULL;
                CREATE TABLE page_views (url text, at timestamptz);
                CREATE UNLOGGED TABLE scratch_cache (k text PRIMARY KEY, v text);
                CREATE MATERIALIZED VIEW daily_totals AS SELECT count(*) AS orders FROM orders;
                SELECT lo_create(0);
                """);

        List<Finding> findings;
        try (Connection connection = db.connect()) {
            findings = check(connection, 18);
        }

        assertThat(codes(findings)).doesNotContain("UPGRADE_TARGET").contains("LOGICAL_REPLICATION_OFF", "NO_REPLICA_IDENTITY",
                "UNLOGGED_TABLE", "LARGE_OBJECTS", "MATERIALIZED_VIEW");
        assertThat(only(findings, FindingCode.LOGICAL_REPLICATION_OFF).message()).isEqualTo("wal_level is replica; a Blue/Green deployment"
                + " to a newer major version replicates logically: set rds.logical_replication = 1 in the instance's DB parameter group and"
                + " reboot it: the parameter is static");
        assertThat(only(findings, FindingCode.NO_REPLICA_IDENTITY).message()).isEqualTo("2 table(s) without a primary key or a replica"
                + " identity: public.events, public.page_views; their updates and deletes do not reach green: add a primary key, or"
                + " ALTER TABLE ... REPLICA IDENTITY FULL");
        assertThat(only(findings, FindingCode.UNLOGGED_TABLE).message()).startsWith("1 unlogged table(s): public.scratch_cache;");
        assertThat(only(findings, FindingCode.LARGE_OBJECTS).message()).startsWith("1 large object(s): logical replication does not copy");
        Finding view = only(findings, FindingCode.MATERIALIZED_VIEW);
        assertThat(view.severity()).isEqualTo(Severity.WARNING);
        assertThat(view.message()).startsWith("1 materialized view(s): public.daily_totals;");
        assertThat(Finding.noErrors(findings)).isFalse();
    }

    @Test
    void tooFewSlotsAndSenders_forOneSubscriptionPerDatabase() throws Exception {
        try (EmbeddedPostgres blue = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "2").setServerConfig("max_wal_senders", "2").start();
                Connection connection = blue.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE tenant_a");
            statement.execute("CREATE DATABASE tenant_b");

            List<Finding> findings = check(connection, 18);

            assertThat(findings).extracting(Finding::code).containsExactly(FindingCode.REPLICATION_CAPACITY, FindingCode.REPLICATION_CAPACITY);
            assertThat(findings).extracting(Finding::message).containsExactly(
                    "max_replication_slots is 2, below the 3 logical replication needs (3 database(s), one subscription each, and 0 slot(s)"
                            + " in use): raise it in blue's and green's DB parameter groups",
                    "max_wal_senders is 2, below the 3 logical replication needs (3 database(s), one subscription each, and 0 slot(s)"
                            + " in use): raise it in blue's and green's DB parameter groups");
            assertThat(findings.get(0).expected()).isEqualTo("3");
        }
    }

    @Test
    void aTargetThatIsNoNewerMajorVersion_isRefusedAsATarget() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        try (Connection connection = db.connect()) {
            Finding target = only(check(connection, 17), FindingCode.UPGRADE_TARGET);
            assertThat(target.message()).startsWith("the target engine version 17 is not a newer major version than the server's 17;");
        }
    }

    @Test
    void aBlueReadyForLogicalReplication_withACleanSchema_hasNothingToReport_throughTheValidateFunction() throws Exception {
        try (EmbeddedPostgres blue = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").start()) {
            try (Connection connection = blue.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL)");
                statement.execute("CREATE TABLE order_notes (order_id bigint, note text)");
                statement.execute("ALTER TABLE order_notes REPLICA IDENTITY FULL");
                assertThat(check(connection, 18)).isEmpty();
            }
            String event = """
                    {"deploymentId": "upgrade-18", "mode": "upgrade-readiness", "targetEngineVersion": "18.1",
                     "database": {"jdbcUrl": "jdbc:postgresql://localhost:%d/postgres", "username": "postgres", "password": "unused"}}
                    """.formatted(blue.getPort());

            var validate = LocalFunctions.byArn(LocalFunctions.config("test"), FullReports.NONE).get(LocalFunctions.arn("validate"));
            JsonNode report = JSON.readTree(HandlerInvocation.invoke(validate, "validate", event.getBytes(StandardCharsets.UTF_8),
                    System.currentTimeMillis() + 60_000));

            assertThat(report.path("mode").asText()).isEqualTo("upgrade-readiness");
            assertThat(report.path("valid").asBoolean()).isTrue();
            assertThat(report.path("findings")).isEmpty();
        }
    }
}
