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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.FolderReports;
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

    @BeforeAll
    static void readerRole() {
        FleetScenariosTest.readerRole();
    }

    @BeforeEach
    void fleetApprovedByTwo() throws Exception {
        List<TestDatabase> databases = FleetScenariosTest.databases(2, Set.of());
        inFleet = databases.get(0);
        outside = databases.get(1);
        objects = new LocalFleetObjects(new LocalObjects(dir.resolve("objects")));
        executions = new LocalFleetExecutions(LocalApprovals.approving(2, quiet()));
        check = new FleetApprovalCheck(JSON, executions, objects, "sluice-fleet", Optional.of(FLEET));
        ObjectNode input = FleetScenariosTest.input("release-7", MIGRATIONS, List.of(inFleet));
        executions.started(FLEET, RUNNING, input);
        new FleetPlanner(JSON, objects, "sluice-fleet", DatabaseTargets.LOCAL::check).plan(new FleetRequest(DeploymentId.of("release-7"),
                "waves", RUNNING, input.get("fleet"), null, null, null, null, null));
        executions.answer(JSON.createObjectNode().put("execution", RUNNING).put("approvalsRequired", 2), 60);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static FleetRequest asked(String execution, String deploymentId, String migrations, TestDatabase database, int required) {
        return new FleetRequest(DeploymentId.of(deploymentId), "approval", execution, null, null, JSON.getNodeFactory().textNode(migrations),
                database.target(), required, null);
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
                List.of(asked(RUNNING, "release-7", MIGRATIONS, outside, 1), "this pipeline's database is not one of the fleet"))
                .forEach(attempt -> assertThatThrownBy(() -> check.check((FleetRequest) attempt.get(0)))
                        .isInstanceOf(NotAllowed.class).hasMessageContaining((String) attempt.get(1)));
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
    private Execution pipeline(TestDatabase database, String migrations) throws Exception {
        FleetCommand fleet = new FleetCommand(new FleetPlanner(JSON, objects, "sluice-fleet", DatabaseTargets.LOCAL::check),
                new FleetSummarizer(JSON, objects, "sluice-fleet"), check);
        var functions = LocalFunctions.byArn(LocalFunctions.config("test"), new FolderReports(dir.resolve("reports")), fleet);
        ObjectNode input = JSON.createObjectNode().put("deploymentId", "release-7").put("migrations", migrations).put("autoApproveUpTo", 0);
        input.set("database", JSON.readTree(database.targetJson()));
        input.putObject("canary").put("parameterName", "/app/canary").put("waitSeconds", 60);
        input.putObject("fleetApproval").put("execution", RUNNING);
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
        ObjectNode input = FleetScenariosTest.input("release-7", "filesystem:" + release, List.of(inFleet));
        executions.started(FLEET, RUNNING, input);
        executions.answer(JSON.createObjectNode().put("execution", RUNNING).put("approvalsRequired", 2), 60);

        Execution forged = pipeline(outside, "filesystem:" + release);

        assertThat(forged.error()).isEqualTo("NotDeployed");
        assertThat(forged.path()).contains("ApprovalSource", "FleetApproval").doesNotContain("RequestApproval", "Migrate");
        assertThat(forged.visits().stream().filter(visit -> visit.state().equals("FleetApproval")).findFirst().orElseThrow().calls().get(0)
                .cause()).contains("this pipeline's database is not one of the fleet");
        FleetScenariosTest.untouched(outside);

        Execution real = pipeline(inFleet, "filesystem:" + release);

        assertThat(real.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(real.path()).contains("FleetApproval", "Migrate").doesNotContain("RequestApproval");
        assertThat(real.output().at("/results/approval/approvers").toString()).isEqualTo("[\"local-approver-1\",\"local-approver-2\"]");
        assertThat(inFleet.history()).hasSize(1);
    }
}
