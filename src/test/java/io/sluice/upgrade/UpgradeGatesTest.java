package io.sluice.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.aws.AwsAdapters;
import io.sluice.cli.LocalFleetExecutions;
import io.sluice.cli.LocalFunctions;
import io.sluice.error.InvalidRequest;
import io.sluice.event.StartRequest;
import io.sluice.fleet.FleetCommand;
import io.sluice.fleet.FleetExecutions;
import io.sluice.fleet.FleetObjects;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.local.LocalUpgrade;
import io.sluice.testing.BlueGreenPair;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.HandlerInvocation;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.StatesError;

/**
 * The upgrade function's gates, walked around as an attacker would, on a real 17→18 pair: another instance, a forged or
 * borrowed execution for the switchover, a switchover or check at the wrong time, a green endpoint slipped into the
 * event, credentials in an upgrade's start. Each is refused with the reason, and the pair is untouched: blue stays the
 * primary, the deployment stays AVAILABLE.
 */
class UpgradeGatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MACHINE = LocalFunctions.UPGRADE_MACHINE_ARN;
    private static final String EXECUTIONS = MACHINE.replace(":stateMachine:", ":execution:") + ":";
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static TestDatabase blue;
    private static BlueGreenPair pair;
    private static String id;
    private static LocalFleetExecutions approved;
    private static LocalFleetExecutions rejected;

    @BeforeAll
    static void anAvailableDeployment() throws Exception {
        blue = LocalUpgrade.blue(100);
        pair = new BlueGreenPair(LocalUpgrade.INSTANCE, blue, LocalUpgrade::migrate);
        approved = new LocalFleetExecutions(LocalApprovals.approving(1, QUIET));
        rejected = new LocalFleetExecutions(LocalApprovals.rejecting(QUIET));
        id = pair.create(LocalUpgrade.INSTANCE, "sluice-gates", "18", null, "gates").id();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!pair.describe(id).available() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(pair.describe(id).available()).isTrue();
    }

    @AfterAll
    static void deleteIt() {
        pair.delete(id, true);
    }

    private static RequestStreamHandler upgrade(Map<String, String> config) {
        var settings = LocalFunctions.config("test", config);
        UpgradeExecutions executions = arn -> AwsAdapters.upgradeExecutions(approved).find(arn)
                .or(() -> AwsAdapters.upgradeExecutions(rejected).find(arn));
        return LocalFunctions.byArn(settings, FullReports.NONE, FleetCommand.over(new EventCodec().mapper(), FleetObjects.NONE, "unset",
                FleetExecutions.NONE, Optional.empty(), target -> { }), pair, executions, pair.instances()).get(LocalFunctions.arn("upgrade"));
    }

    private static RequestStreamHandler deployed() {
        return upgrade(Map.of("sluice.aws.rds-instance", LocalUpgrade.INSTANCE, "sluice.aws.upgrade-arn", MACHINE));
    }

    /** The function's error: its type and message. */
    private static String refused(RequestStreamHandler handler, String event) throws Exception {
        try {
            byte[] result = HandlerInvocation.invoke(handler, "upgrade", event.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 60_000);
            throw new AssertionError("not refused: " + new String(result, StandardCharsets.UTF_8));
        } catch (HandlerInvocation.FunctionError e) {
            return e.errorType() + ": " + JSON.readTree(e.payload()).path("errorMessage").asText();
        }
    }

    private static String event(String mode, String extra) {
        return """
                {"deploymentId": "gates", "mode": "%s", "rdsInstance": "orders-db", "blueGreenDeploymentId": "%s", "database": %s%s}"""
                .formatted(mode, id, blue.targetJson(), extra);
    }

    /** An upgrade execution that started with {@code input}, approved (or rejected) as the approvals ledger records it. */
    private static String execution(String name, String deploymentId, String instance, boolean approve) {
        LocalFleetExecutions executions = approve ? approved : rejected;
        ObjectNode input = JSON.createObjectNode().put("deploymentId", deploymentId).put("rdsInstance", instance);
        executions.started(MACHINE, EXECUTIONS + name, input);
        try {
            executions.answer(JSON.createObjectNode().put("execution", EXECUTIONS + name).put("approvalsRequired", 1), 60);
        } catch (StatesError e) {
            // Rejected: the decision is recorded.
        }
        return EXECUTIONS + name;
    }

    private static void untouched() {
        assertThat(pair.describe(id).status()).isEqualTo("AVAILABLE");
        blue.sql("INSERT INTO customers (email, full_name) VALUES ('gate-" + System.nanoTime() + "@example.com', 'still writable')");
    }

    @Test
    void anotherInstance_isRefused_inEveryMode() throws Exception {
        for (String mode : new String[] {"create", "status", "check-green", "switchover", "delete"}) {
            String event = event(mode, ", \"targetEngineVersion\": \"18\", \"execution\": \"" + EXECUTIONS + "x\"")
                    .replace("\"orders-db\"", "\"billing-db\"");
            assertThat(refused(deployed(), event)).as(mode).isEqualTo("io.sluice.error.NotAllowed: field 'rdsInstance': this function"
                    + " upgrades orders-db, not billing-db; nothing was changed");
        }
        assertThat(refused(upgrade(Map.of()), event("status", ""))).isEqualTo("io.sluice.error.NotAllowed: this function may upgrade no"
                + " RDS instance (sluice.aws.rds-instance is not set); nothing was changed");
        untouched();
    }

    @Test
    void aSwitchover_believesNoExecutionItIsNotShown() throws Exception {
        String fine = execution("fine", "gates", "orders-db", true);
        Map<String, String> attempts = Map.of(
                "arn:aws:states:us-east-1:123456789012:execution:sluice-pipeline:release-1",
                "field 'execution': arn:aws:states:us-east-1:123456789012:execution:sluice-pipeline:release-1 is not an execution of the"
                        + " upgrade state machine " + MACHINE + "; nothing was switched",
                EXECUTIONS + "never-started",
                "field 'execution': Step Functions has no execution " + EXECUTIONS + "never-started; nothing was switched",
                execution("rejected", "gates", "orders-db", false),
                "field 'execution': " + EXECUTIONS + "rejected is rejected; an engine upgrade switches over only when approved; nothing"
                        + " was switched",
                execution("other-release", "billing-upgrade", "orders-db", true),
                "field 'execution': " + EXECUTIONS + "other-release upgrades orders-db for billing-upgrade, not this upgrade; nothing was"
                        + " switched",
                execution("other-instance", "gates", "billing-db", true),
                "field 'execution': " + EXECUTIONS + "other-instance upgrades billing-db for gates, not this upgrade; nothing was switched");
        for (Map.Entry<String, String> attempt : attempts.entrySet()) {
            assertThat(refused(deployed(), event("switchover", ", \"execution\": \"" + attempt.getKey() + "\"")))
                    .isEqualTo("io.sluice.error.NotAllowed: " + attempt.getValue());
        }
        approved.ended(fine, "SUCCEEDED");
        assertThat(refused(deployed(), event("switchover", ", \"execution\": \"" + fine + "\""))).isEqualTo("io.sluice.error.NotAllowed:"
                + " field 'execution': " + fine + " is SUCCEEDED in " + MACHINE + "; only a running upgrade switches over; nothing was"
                + " switched");
        assertThat(refused(upgrade(Map.of("sluice.aws.rds-instance", LocalUpgrade.INSTANCE)), event("switchover", ", \"execution\": \""
                + execution("no-machine", "gates", "orders-db", true) + "\""))).isEqualTo("io.sluice.error.NotAllowed: this deployment has"
                        + " no upgrade state machine (sluice.aws.upgrade-arn); no switchover is approved");
        untouched();
    }

    @Test
    void greensEndpoint_comesFromRdsOnly_neverFromTheEvent() throws Exception {
        // An endpoint of the attacker's would receive blue's credentials when check-green connects to it.
        assertThat(refused(deployed(), event("check-green", ", \"greenEndpoint\": \"attacker.example.com:5432\"")))
                .startsWith("io.sluice.error.InvalidRequest: ").contains("greenEndpoint");
        untouched();
    }

    @Test
    void aProbeThatActs_orTwoStatementsDisguisedAsOne_isRefused_asTheCanaryRefusesIt() throws Exception {
        assertThat(refused(deployed(), event("check-green", ", \"probes\": [\"SELECT pg_terminate_backend(pid) FROM pg_stat_activity\"]")))
                .startsWith("io.sluice.error.InvalidRequest: field 'probes[0]'").contains("pg_terminate_backend");
        assertThat(refused(deployed(), event("check-green", ", \"probes\": [\"SELECT 1; DROP TABLE orders\"]")))
                .startsWith("io.sluice.error.InvalidRequest: field 'probes[0]'");
        untouched();
        assertThat(blue.rows("SELECT count(*) FROM orders")).doesNotContain("0");
    }

    @Test
    void deletingGreenAfterASwitchover_andCheckingAGreenThatIsNotReady_areRefused() throws Exception {
        BlueGreen provisioning = new BlueGreen("bgd-provisioning00000", "x", "PROVISIONING", "orders-db", "orders-db-green", null, null,
                "2026-12-07T10:00:00Z");
        UpgradeCommand command = new UpgradeCommand(new BlueGreenDeployments() {
            @Override
            public BlueGreen create(String instance, String name, String version, String group, String deploymentId) {
                throw new AssertionError("nothing may be created");
            }

            @Override
            public BlueGreen describe(String deployment) {
                return deployment.equals(provisioning.id()) ? provisioning : new BlueGreen(deployment, "x", "SWITCHOVER_COMPLETED",
                        "orders-db-old1", "orders-db", "orders-db.example:5432", null,
                        "2026-12-07T10:00:00Z");
            }

            @Override
            public BlueGreen switchover(String deployment, int timeoutSeconds) {
                throw new AssertionError("nothing may be switched");
            }

            @Override
            public BlueGreen delete(String deployment, boolean deleteGreen) {
                throw new AssertionError("nothing may be deleted");
            }
        }, UpgradeExecutions.NONE, Optional.of("orders-db"), Optional.of(MACHINE), null, null, java.time.Clock.systemUTC());
        var codec = new EventCodec();
        assertThatThrownBy(() -> command.run(codec.read(event("delete", ", \"deleteGreen\": true").replace(id, "bgd-switched000000000")
                .getBytes(StandardCharsets.UTF_8), io.sluice.event.UpgradeRequest.class)))
                .isInstanceOf(InvalidRequest.class).hasMessage("field 'deleteGreen': bgd-switched000000000 has switched over; green is the"
                        + " database now, and nothing deletes it; nothing was changed");
        assertThatThrownBy(() -> command.run(codec.read(event("check-green", "").replace(id, provisioning.id())
                .getBytes(StandardCharsets.UTF_8), io.sluice.event.UpgradeRequest.class)))
                .isInstanceOf(InvalidRequest.class).hasMessage("Blue/Green deployment bgd-provisioning00000 is PROVISIONING and green has no"
                        + " endpoint yet; green is checked once it is AVAILABLE");
    }

    @Test
    void anUpgradeStartedThroughTheStartFunction_namesItsDatabaseByItsSecretAlone() throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree(java.nio.file.Path.of("events", "upgrade", "upgrade.json").toFile());
        assertThat(new StartRequest(input.deepCopy()).upgrade()).isTrue();
        ObjectNode withPassword = input.deepCopy();
        withPassword.set("database", JSON.readTree(blue.targetJson()));
        assertThatThrownBy(() -> new StartRequest(withPassword)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'database' must be {\"secretArn\": ...} alone");
        ObjectNode withoutInstance = input.deepCopy();
        withoutInstance.remove("rdsInstance");
        assertThatThrownBy(() -> new StartRequest(withoutInstance)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'rdsInstance' is required with 'upgrade': the RDS instance to upgrade");
        ObjectNode both = input.deepCopy();
        both.putObject("fleet").putArray("targets");
        assertThatThrownBy(() -> new StartRequest(both)).isInstanceOf(InvalidRequest.class)
                .hasMessage("an input is a release of a fleet or an engine upgrade, not both: give 'fleet' or 'upgrade'");
    }

    @Test
    void readinessOfAnotherInstance_isRefused_andAManagedMasterPasswordIsFound() throws Exception {
        var settings = LocalFunctions.config("test", Map.of("sluice.aws.rds-instance", LocalUpgrade.INSTANCE));
        RdsInstances managed = identifier -> Optional.of(new RdsInstances.Instance(identifier, "17.11",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234"));
        RequestStreamHandler validate = LocalFunctions.byArn(settings, FullReports.NONE, FleetCommand.over(new EventCodec().mapper(),
                FleetObjects.NONE, "unset", FleetExecutions.NONE, Optional.empty(), target -> { }), pair, UpgradeExecutions.NONE, managed)
                .get(LocalFunctions.arn("validate"));
        String event = """
                {"deploymentId": "gates", "mode": "upgrade-readiness", "targetEngineVersion": "18", "rdsInstance": "%s", "database": %s}""";
        try {
            HandlerInvocation.invoke(validate, "validate", event.formatted("billing-db", blue.targetJson()).getBytes(StandardCharsets.UTF_8),
                    System.currentTimeMillis() + 60_000);
            throw new AssertionError("not refused");
        } catch (HandlerInvocation.FunctionError e) {
            assertThat(e.errorType()).isEqualTo("io.sluice.error.NotAllowed");
            assertThat(JSON.readTree(e.payload()).path("errorMessage").asText())
                    .isEqualTo("field 'rdsInstance': this deployment upgrades orders-db, not billing-db");
        }
        JsonNode report = JSON.readTree(HandlerInvocation.invoke(validate, "validate", event.formatted("orders-db", blue.targetJson())
                .getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 60_000));
        assertThat(report.path("valid").asBoolean()).isFalse();
        JsonNode finding = report.path("findings").get(0);
        assertThat(finding.path("code").asText()).isEqualTo("MANAGED_MASTER_PASSWORD");
        assertThat(finding.path("message").asText()).isEqualTo("RDS manages the master password of orders-db in Secrets Manager"
                + " (arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234), and Blue/Green deployments do not support a master"
                + " password managed that way: RDS refuses to create one. Give the instance a master password of its own (Terraform:"
                + " master_password_managed_by_rds = false, which keeps it in a secret the module owns and rotates), then check again");
    }
}
