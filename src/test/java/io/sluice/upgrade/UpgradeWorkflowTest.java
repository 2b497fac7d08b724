package io.sluice.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.local.ApplicationWrites;
import io.sluice.local.LocalUpgrade;
import io.sluice.testing.BlueGreenPair;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;

/**
 * The upgrade definition ({@code terraform/statemachine/upgrade.asl.json}) on the local runner, through the real
 * functions, its Blue/Green calls answered by a real 17→18 pair filled by logical replication, while an application
 * writes to whichever server is the primary.
 */
class UpgradeWorkflowTest {

    private static final double WAIT_SCALE = 0.01;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode message(LocalUpgrade.Result result, String type) {
        List<JsonNode> of = result.published().stream().filter(message -> message.path("type").asText().equals(type)).toList();
        assertThat(of).as("%s among %s", type, result.published()).hasSize(1);
        return of.get(0);
    }

    @Test
    void anApprovedUpgrade_switchesOver_watchesTheNewPrimary_andKeepsTheOldInstance() throws Exception {
        TestDatabase blue = LocalUpgrade.blue(2_000);
        BlueGreenPair pair = new BlueGreenPair(LocalUpgrade.INSTANCE, blue, LocalUpgrade::migrate);
        ObjectNode input = LocalUpgrade.input(pair, blue);
        // The watch holds green's probes to the baseline blue gave. Here blue is a quiet server of its own and green the
        // shared 18 that holds every other test's databases, so the sample's whole-table aggregate (7 ms) measured the
        // test machine's load (1.4 x slower, DEGRADED four times in one CI run), not the upgrade: the watch gets the
        // application's indexed reads, whose p95 sits far inside the noise allowance either way.
        ((ObjectNode) input.get("canary")).set("probes", JSON.createArrayNode()
                .add("SELECT id, status, total FROM orders WHERE customer_id = 42 ORDER BY placed_at DESC LIMIT 20")
                .add("SELECT * FROM customer_order_totals WHERE email = 'c42@example.com'"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ApplicationWrites writes = ApplicationWrites.start(pair.databaseUrl(), blue.user(), PostgresServer.APP_PASSWORD);
        LocalUpgrade.Result result;
        try {
            result = LocalUpgrade.run(input, pair, LocalApprovals.approving(1, new PrintStream(log, true, StandardCharsets.UTF_8)), WAIT_SCALE,
                    new PrintStream(log, true, StandardCharsets.UTF_8));
        } finally {
            writes.stop();
        }

        Execution execution = result.execution();
        assertThat(execution.status()).as(log.toString(StandardCharsets.UTF_8) + "\nmessages: " + result.published())
                .isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.path()).containsSubsequence("Readiness", "RequestApproval", "CreateBlueGreen", "CheckGreen", "GreenPassed",
                "BaselineWindowOpen", "Switchover", "SwitchedOver", "WatchStart", "WatchWindowOpen", "WatchCheck", "WatchWindowOpen", "WatchCheck",
                "DeleteDeployment", "NotifyUpgraded", "Upgraded");
        JsonNode upgraded = message(result, "upgraded");
        assertThat(upgraded.path("oldInstance").asText()).isEqualTo("orders-db-old1");
        assertThat(upgraded.path("oldInstanceDeletableAfter").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(7).toString());
        assertThat(upgraded.path("engineVersion").asText()).startsWith("18.");
        assertThat(upgraded.path("previousEngineVersion").asText()).startsWith("17.");
        assertThat(upgraded.path("moduleVariables").toString()).as("what to change in Terraform before its next plan")
                .isEqualTo("{\"database_engine_version\":\"18\",\"upgrade_target_engine_version\":\"\"}");
        assertThat(upgraded.path("approvers").get(0).asText()).isEqualTo("local-approver-1");
        assertThat(message(result, "approval-requested").path("changeClass").asText()).isEqualTo("engine-upgrade");
        assertThat(message(result, "approval-requested").at("/canary/probes").size()).as("the probes check-green and the watch run")
                .isPositive();

        // Every order the application wrote is on the new primary, which the database's URL now reaches.
        TestDatabase green = PostgresServer.version18().as(blue, blue.user(), PostgresServer.APP_PASSWORD);
        assertThat(writes.written()).isGreaterThan(0);
        assertThat(green.rows("SELECT count(*) FROM orders WHERE status LIKE 'app-write-%'")).containsExactly(String.valueOf(writes.written()));
        assertThat(green.rows("SELECT count(*) FROM orders WHERE status NOT LIKE 'app-write-%'")).containsExactly("20000");
        try (var primary = java.sql.DriverManager.getConnection(pair.databaseUrl(), blue.user(), PostgresServer.APP_PASSWORD);
                var statement = primary.createStatement(); var rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("18.");
        }
        // The sequences came across: the next order on the new primary takes a fresh id.
        green.sql("INSERT INTO orders (customer_id, status, total) VALUES (1, 'after', 1)");
    }

    @Test
    void aGreenThatFailsItsCheck_isDeletedWithItsDeployment_andBlueServesOn() throws Exception {
        TestDatabase blue = LocalUpgrade.blue(500);
        // Green's schema as a drifted copy would have it: the index the application's first query uses is missing.
        BlueGreenPair pair = new BlueGreenPair(LocalUpgrade.INSTANCE, blue, green -> {
            LocalUpgrade.migrate(green);
            green.sql("DROP INDEX orders_customer_id_idx");
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalUpgrade.Result result = LocalUpgrade.run(LocalUpgrade.input(pair, blue), pair, LocalApprovals.approving(1,
                new PrintStream(log, true, StandardCharsets.UTF_8)), WAIT_SCALE, new PrintStream(log, true, StandardCharsets.UTF_8));

        Execution execution = result.execution();
        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo("NotUpgraded");
        assertThat(execution.path()).containsSubsequence("CreateBlueGreen", "CheckGreen", "GreenPassed", "GreenRefused", "DeleteGreen",
                "NotifyGreenDeleted", "NotUpgraded").doesNotContain("Switchover");
        JsonNode notUpgraded = message(result, "not-upgraded");
        assertThat(notUpgraded.path("greenDeleted").asBoolean()).isTrue();
        assertThat(notUpgraded.at("/cause/Error").asText()).isEqualTo("GreenCheckFailed");
        assertThat(notUpgraded.at("/cause/Cause").asText()).contains("GREEN_SCHEMA_DIFFERS",
                "green's index public.orders_customer_id_idx REMOVED", "GREEN_PLAN_REGRESSION");
        assertThat(BlueGreenPair.greenDatabaseExists(blue.name())).isFalse();
        assertThat(pair.exists(notUpgraded.path("blueGreenDeploymentId").asText())).isFalse();
        // Blue serves as before: writable, no publication left behind.
        blue.sql("INSERT INTO orders (customer_id, status, total) VALUES (1, 'after', 1)");
        assertThat(blue.rows("SELECT count(*) FROM pg_publication")).containsExactly("0");
    }
}
