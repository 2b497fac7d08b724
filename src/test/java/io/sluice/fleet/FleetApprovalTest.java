package io.sluice.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.function.FolderReports;
import io.sluice.cli.LocalFleetExecutions;
import io.sluice.cli.LocalFleetObjects;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.error.NotAllowed;
import io.sluice.event.DeploymentId;
import io.sluice.event.FleetRequest;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalObjects;
import io.sluice.workflow.LocalResources;
import io.sluice.workflow.StatesError;

/**
 * The fleet's approval as an attacker sees it: a pipeline started by hand with a {@code fleetApproval} field hopes to skip
 * its own approval. The field only names an execution; the approval holds when that execution is a running fleet of
 * this deployment, releasing the same migrations to a set of databases this one is among, approved by enough approvers.
 * Each walk around it is tried here, first against the check, then through the pipeline definition itself.
 */
class FleetApprovalTest {

    private static final ObjectMapper JSON = new EventCodec().mapper();
    private static final String FLEET = LocalFunctions.FLEET_MACHINE_ARN;
    private static final String RUNNING = FLEET.replace(":stateMachine:", ":execution:") + ":fleet-7";
    private static final String MIGRATIONS = "filesystem:db/fleet-release";

    @TempDir
    Path dir;

    private LocalFleetObjects objects;
    private LocalFleetExecutions executions;
    private FleetApprovalCheck check;
    private TestDatabase inFleet;
    private TestDatabase outside;
    private ObjectNode fleetInput;

    @BeforeEach
    void fleetApprovedByTwo() throws Exception {
        List<TestDatabase> databases = FleetScenariosTest.databases(2, Set.of());
        inFleet = databases.get(0);
        outside = databases.get(1);
        objects = new LocalFleetObjects(new LocalObjects(dir.resolve("objects")));
        executions = new LocalFleetExecutions(LocalApprovals.approving(2, quiet()));
        check = new FleetApprovalCheck(JSON, executions, objects, "sluice-fleet", Optional.of(FLEET));
        fleetInput = FleetScenariosTest.input("release-7", MIGRATIONS, List.of(inFleet));
        executions.started(FLEET, RUNNING, fleetInput);
        new FleetPlanner(JSON, objects, "sluice-fleet", DatabaseTargets.LOCAL::check).plan(new FleetRequest(DeploymentId.of("release-7"),
                "waves", RUNNING, fleetInput.get("fleet"), fleetInput.get("canary"), null, null, null, null));
        executions.answer(JSON.createObjectNode().put("execution", RUNNING).put("approvalsRequired", 2), 60);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private FleetRequest asked(String execution, String deploymentId, String migrations, TestDatabase database, int required) {
        return asked(execution, deploymentId, migrations, database, required, childInput(fleetInput, database, execution));
    }

    private static FleetRequest asked(String execution, String deploymentId, String migrations, TestDatabase database, int required,
            ObjectNode pipelineInput) {
        return new FleetRequest(DeploymentId.of(deploymentId), "approval", execution, null, null, JSON.getNodeFactory().textNode(migrations),
                database.target(), required, null, pipelineInput);
    }

    /**
     * A database's pipeline input as the fleet gives it: the fleet's input without its fleet, with the fleet's approval, and
     * the target's name, database and canary (the release's, with the target's own fields over it).
     */
    static ObjectNode childInput(ObjectNode fleetInput, TestDatabase database, String execution) throws RuntimeException {
        ObjectNode child = fleetInput.deepCopy();
        child.putNull("fleet");
        child.putObject("fleetApproval").put("execution", execution);
        ObjectNode canary = fleetInput.path("canary").isObject() ? ((ObjectNode) fleetInput.get("canary")).deepCopy()
                : JSON.createObjectNode();
        try {
            for (var target : fleetInput.at("/fleet/targets")) {
                if (target.path("database").equals(JSON.readTree(database.targetJson()))) {
                    child.set("name", target.get("name"));
                    canary.setAll((ObjectNode) target.path("canary"));
                }
            }
            child.set("database", JSON.readTree(database.targetJson()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        child.set("canary", canary);
        return child;
    }

    @Test
    void theFleetsApproval_holdsForItsOwnRelease_onItsOwnDatabases() {
        FleetApproval approval = check.check(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 2));

        assertThat(approval.fleetExecution()).isEqualTo(RUNNING);
        assertThat(approval.approvers()).containsExactly("local-approver-1", "local-approver-2");
    }

    @Test
    void everyWalkAroundIt_isRefused() {
        String otherMachine = LocalFunctions.STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":fleet-7";
        String neverStarted = FLEET.replace(":stateMachine:", ":execution:") + ":fleet-8";
        List.of(
                List.of(asked(otherMachine, "release-7", MIGRATIONS, inFleet, 1), "is not an execution of the fleet state machine"),
                List.of(asked(neverStarted, "release-7", MIGRATIONS, inFleet, 1), "Step Functions has no execution"),
                List.of(asked(RUNNING, "release-8", MIGRATIONS, inFleet, 1), "releases release-7, not release-8"),
                List.of(asked(RUNNING, "release-7", "filesystem:db/something-else", inFleet, 1), "was approved for other migrations"),
                List.of(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 3), "has 2 approval(s); release-7 on this database needs 3"),
                List.of(asked(RUNNING, "release-7", MIGRATIONS, outside, 1), "this pipeline's database is not one of the fleet"),
                List.of(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 1, laxCanary()), "this pipeline's canary (probes, thresholds,"
                        + " waits) is not the one the fleet"),
                List.of(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 1, (ObjectNode) childInput(fleetInput, inFleet, RUNNING)
                        .put("autoApproveUpTo", 10)), "this pipeline's 'autoApproveUpTo' is not the fleet"),
                List.of(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 1, (ObjectNode) childInput(fleetInput, inFleet, RUNNING)
                        .put("rdsSnapshot", false)), "this pipeline's 'rdsSnapshot' is not the fleet"))
                .forEach(attempt -> assertThatThrownBy(() -> check.check((FleetRequest) attempt.get(0)))
                        .isInstanceOf(NotAllowed.class).hasMessageContaining((String) attempt.get(1)));
    }

    /** The fleet's own input for the database, with a canary that probes nothing and passes anything. */
    private ObjectNode laxCanary() {
        ObjectNode child = childInput(fleetInput, inFleet, RUNNING);
        ObjectNode canary = (ObjectNode) child.get("canary");
        canary.putArray("probes");
        canary.putObject("thresholds").put("maxErrorRate", 1.0).put("maxP95Ms", 1_000_000);
        return child;
    }

    @Test
    void aFleetNotApproved_rejected_orFinished_lendsNoApproval() throws Exception {
        String unanswered = FLEET.replace(":stateMachine:", ":execution:") + ":fleet-unanswered";
        String rejected = FLEET.replace(":stateMachine:", ":execution:") + ":fleet-rejected";
        LocalFleetExecutions rejecting = new LocalFleetExecutions(LocalApprovals.rejecting(quiet()));
        for (String execution : List.of(unanswered, rejected)) {
            ObjectNode input = FleetScenariosTest.input("release-7", MIGRATIONS, List.of(inFleet));
            executions.started(FLEET, execution, input);
            rejecting.started(FLEET, execution, input);
            Files.createDirectories(dir.resolve("objects/sluice-fleet/fleet").resolve(execution.substring(execution.lastIndexOf(':') + 1)));
        }
        assertThatThrownBy(() -> rejecting.answer(JSON.createObjectNode().put("execution", rejected), 60)).isInstanceOf(StatesError.class);
        FleetApprovalCheck onRejecting = new FleetApprovalCheck(JSON, rejecting, objects, "sluice-fleet", Optional.of(FLEET));

        assertThatThrownBy(() -> check.check(asked(unanswered, "release-7", MIGRATIONS, inFleet, 1)))
                .isInstanceOf(NotAllowed.class).hasMessageContaining("is not approved (no decision in the approvals ledger)");
        assertThatThrownBy(() -> onRejecting.check(asked(rejected, "release-7", MIGRATIONS, inFleet, 1)))
                .isInstanceOf(NotAllowed.class).hasMessageContaining("the fleet " + rejected + " is rejected");
        executions.ended(RUNNING, "SUCCEEDED");
        assertThatThrownBy(() -> check.check(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 1)))
                .isInstanceOf(NotAllowed.class).hasMessageContaining("is SUCCEEDED; a fleet's approval holds while it runs");
        assertThatThrownBy(() -> new FleetApprovalCheck(JSON, executions, objects, "sluice-fleet", Optional.empty())
                .check(asked(RUNNING, "release-7", MIGRATIONS, inFleet, 1)))
                .isInstanceOf(NotAllowed.class).hasMessageContaining("this deployment has no fleet state machine");
    }

    /** A pipeline started by hand, naming the fleet: through the real definition and functions. */
    private Execution pipeline(ObjectNode fleet, TestDatabase database) throws Exception {
        return pipeline(childInput(fleet, database, RUNNING));
    }

    private Execution pipeline(ObjectNode input) throws Exception {
        FleetCommand fleet = new FleetCommand(new FleetPlanner(JSON, objects, "sluice-fleet", DatabaseTargets.LOCAL::check),
                new FleetSummarizer(JSON, objects, "sluice-fleet"), check);
        var functions = LocalFunctions.byArn(LocalFunctions.config("test"), new FolderReports(dir.resolve("reports")), fleet);
        LocalResources resources = new LocalResources(functions, LocalApprovals.rejecting(quiet()), quiet());
        return PipelineCommandLine.execute(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), input, "by-hand", resources, 0, quiet())
                .execution();
    }

    @Test
    void throughThePipeline_aForgedFleetApproval_endsNotDeployed_andTheRealOneReleasesWithoutAskingAgain() throws Exception {
        Path release = new io.sluice.testing.ScriptFolder(dir.resolve("release"))
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n")
                .with("U1__customers.sql", "DROP TABLE customers;\n").root();
        // The fleet releases exactly these migrations.
        ObjectNode input = FleetScenariosTest.input("release-7", "filesystem:" + release, List.of(inFleet)).put("autoApproveUpTo", 0);
        executions.started(FLEET, RUNNING, input);
        executions.answer(JSON.createObjectNode().put("execution", RUNNING).put("approvalsRequired", 2), 60);

        Execution forged = pipeline(input, outside);

        assertThat(forged.error()).isEqualTo("NotDeployed");
        assertThat(forged.path()).contains("ApprovalSource", "FleetApproval").doesNotContain("RequestApproval", "Migrate");
        assertThat(forged.visits().stream().filter(visit -> visit.state().equals("FleetApproval")).findFirst().orElseThrow().calls().get(0)
                .cause()).contains("this pipeline's database is not one of the fleet");
        FleetScenariosTest.untouched(outside);

        ObjectNode lax = childInput(input, inFleet, RUNNING);
        ((ObjectNode) lax.get("canary")).putArray("probes");
        Execution laxCanary = pipeline(lax);

        assertThat(laxCanary.error()).isEqualTo("NotDeployed");
        assertThat(laxCanary.visits().stream().filter(visit -> visit.state().equals("FleetApproval")).findFirst().orElseThrow().calls()
                .get(0).cause()).contains("this pipeline's canary (probes, thresholds, waits) is not the one the fleet");
        FleetScenariosTest.untouched(inFleet);

        Execution real = pipeline(input, inFleet);

        assertThat(real.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(real.path()).contains("FleetApproval", "Migrate").doesNotContain("RequestApproval");
        assertThat(real.output().at("/results/approval/approvers").toString()).isEqualTo("[\"local-approver-1\",\"local-approver-2\"]");
        assertThat(inFleet.history()).hasSize(1);
    }
}
