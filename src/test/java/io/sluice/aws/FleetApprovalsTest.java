package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sns.SnsClient;

import io.sluice.approval.ApproveCommand;
import io.sluice.approval.StartCommand;
import io.sluice.cli.FleetCommandLine;
import io.sluice.cli.LocalFunctions;
import io.sluice.error.NotAllowed;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.DeploymentId;
import io.sluice.event.FleetRequest;
import io.sluice.fleet.FleetApproval;
import io.sluice.fleet.FleetApprovalCheck;
import io.sluice.fleet.FleetPlanner;
import io.sluice.function.ApproveFunction;
import io.sluice.function.DatabaseTargets;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.StartFunction;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.FunctionUrlEvents;
import io.sluice.testing.MotoServer;
import io.sluice.workflow.Template;

/**
 * A fleet's approval through the deployed adapters, against moto: the start function starts the fleet (its own state
 * machine, running the fleet definition's RequestApproval state) and records its starter; two approvers vote through
 * the approve function; the fleet function's check then reads the fleet from Step Functions (DescribeExecution), its
 * decision and approvers from DynamoDB, and its waves from S3, as deployed.
 */
class FleetApprovalsTest {

    private static final ObjectMapper JSON = new EventCodec().mapper();
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:tenant-";

    private SfnClient sfn;
    private String fleet;
    private String bucket;
    private StartFunction start;
    private ApproveFunction approve;
    private FleetApprovalCheck check;
    private S3FleetObjects objects;

    @BeforeEach
    void fleetMachine() throws Exception {
        sfn = MotoServer.client(SfnClient.builder());
        DynamoDbClient dynamo = MotoServer.client(DynamoDbClient.builder());
        S3Client s3 = MotoServer.client(S3Client.builder().forcePathStyle(true));
        SnsClient sns = MotoServer.client(SnsClient.builder());
        IamClient iam = MotoServer.client(IamClient.builder(), Region.AWS_GLOBAL);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String table = "sluice-approvals-" + suffix;
        MotoServer.approvalsTable(dynamo, table);
        bucket = "sluice-fleet-" + suffix;
        s3.createBucket(request -> request.bucket(bucket));
        String topic = sns.createTopic(request -> request.name("sluice-" + suffix)).topicArn();
        String role = iam.createRole(request -> request.roleName("sluice-fleet-" + suffix).assumeRolePolicyDocument("{}")).role().arn();

        // The fleet definition's own approval state; after it, the fleet stays running as it would through its waves.
        JsonNode definition = JSON.readTree(Template.render(Files.readString(FleetCommandLine.DEFAULT_DEFINITION),
                LocalFunctions.templateValues()));
        ObjectNode state = (ObjectNode) definition.at("/States/RequestApproval").deepCopy();
        ((ObjectNode) state.get("Parameters")).put("TopicArn", topic);
        state.put("Next", "Waves");
        ((ObjectNode) state.get("Catch").get(0)).put("Next", "Stopped");
        ObjectNode machine = JSON.createObjectNode().put("StartAt", "RequestApproval");
        ObjectNode states = machine.putObject("States");
        states.set("RequestApproval", state);
        states.putObject("Waves").put("Type", "Wait").put("Seconds", 300).put("End", true);
        states.putObject("Stopped").put("Type", "Fail").put("Error", "FleetStopped");
        fleet = sfn.createStateMachine(request -> request.name("sluice-fleet-" + suffix).roleArn(role).definition(machine.toString()))
                .stateMachineArn();
        DynamoApprovalLedger ledger = new DynamoApprovalLedger(table, () -> dynamo);
        SfnPipelineTasks tasks = new SfnPipelineTasks(() -> sfn, fleet.replace("sluice-fleet-", "sluice-pipeline-"), fleet);
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE));
        approve = new ApproveFunction(new ApproveCommand(ledger, tasks, ApprovalsTest.APPROVERS), boundary);
        start = new StartFunction(new StartCommand(ledger, tasks), boundary);
        objects = new S3FleetObjects(() -> s3);
        check = new FleetApprovalCheck(JSON, new SfnFleetExecutions(() -> sfn, ledger), objects, bucket, Optional.of(fleet));
    }

    /** The fleet's input as the approval state reads it: the release, its fleet, and the preflight and plan before it. */
    private static ObjectNode input() throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree("""
                {"deploymentId": "release-9", "migrations": "s3://bundles/releases/release-9.zip",
                 "fleet": {"targets": [{"name": "acme", "database": {"secretArn": "%sacme"}},
                                       {"name": "globex", "database": {"secretArn": "%sglobex"}}]},
                 "preflight": {"changeClass": "major", "approvalsRequired": 2, "scripts": 1, "currentVersion": "6"},
                 "plan": {"targets": 2, "waves": []}}
                """.formatted(SECRET, SECRET));
        return input;
    }

    private String token(String execution) throws Exception {
        for (int poll = 0; poll < 100; poll++) {
            for (HistoryEvent event : sfn.getExecutionHistory(request -> request.executionArn(execution)).events()) {
                if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                    JsonNode message = JSON.readTree(event.taskScheduledEventDetails().parameters()).path("Message");
                    message = message.isTextual() ? JSON.readTree(message.asText()) : message;
                    return message.path("taskToken").asText();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the fleet never asked for its approval");
    }

    private JsonNode vote(String principal, String execution, String token) throws Exception {
        String body = JSON.createObjectNode().put("deploymentId", "release-9").put("execution", execution).put("taskToken", token)
                .put("decision", "approve").toString();
        FunctionUrlEvents.Response response = FunctionUrlEvents.send(approve, FunctionUrlEvents.request(principal, body));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body();
    }

    private FleetRequest asked(String execution, String secret) throws Exception {
        ObjectNode child = input();
        child.putNull("fleet");
        child.putObject("fleetApproval").put("execution", execution);
        child.put("name", secret.substring(SECRET.length()));
        child.putObject("database").put("secretArn", secret);
        child.putObject("canary");
        return new FleetRequest(DeploymentId.of("release-9"), "approval", execution, null, null,
                JSON.getNodeFactory().textNode("s3://bundles/releases/release-9.zip"), DatabaseTarget.fromSecret(secret), 2, null, child);
    }

    @Test
    void aFleetStartedAndApprovedThroughTheFunctions_lendsItsApproval_toItsOwnDatabasesOnly() throws Exception {
        FunctionUrlEvents.Response started = FunctionUrlEvents.send(start, FunctionUrlEvents.request(ApprovalsTest.DEPLOY_AS_CAROL
                .replace("/carol", "/dave"), input().toString()));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(200);
        String execution = started.body().get("execution").asText();
        assertThat(execution).startsWith(fleet.replace(":stateMachine:", ":execution:") + ":release-9-");
        new FleetPlanner(JSON, objects, bucket, DatabaseTargets.LOCAL::check).plan(new FleetRequest(DeploymentId.of("release-9"), "waves",
                execution, input().get("fleet"), null, null, null, null, null));
        String token = token(execution);

        assertThat(vote(ApprovalsTest.ALICE, execution, token).get("status").asText()).isEqualTo("PENDING");
        assertThatThrownBy(() -> check.check(asked(execution, SECRET + "acme"))).isInstanceOf(NotAllowed.class)
                .hasMessageContaining("is not approved (no decision in the approvals ledger)");
        assertThat(vote(ApprovalsTest.BOB, execution, token).get("status").asText()).isEqualTo("APPROVED");

        FleetApproval approval = check.check(asked(execution, SECRET + "acme"));

        assertThat(approval.approvers()).containsExactly("alice", "bob");
        assertThatThrownBy(() -> check.check(asked(execution, SECRET + "initech"))).isInstanceOf(NotAllowed.class)
                .hasMessageContaining("this pipeline's database is not one of the fleet");
        sfn.stopExecution(request -> request.executionArn(execution));
        // Stopped, it runs no more. moto's engine may still record the end its own thread reached (FAILED) over the
        // stop; whichever end it records, the approval holds no more.
        assertThatThrownBy(() -> check.check(asked(execution, SECRET + "acme"))).isInstanceOf(NotAllowed.class)
                .hasMessageMatching("(?s).* is (ABORTED|FAILED); a fleet's approval holds while it runs.*");
    }

    @Test
    void aFleetStartedAroundTheStartFunction_cannotBeApproved_andTheStartFunctionRefusesCredentialsInATarget() throws Exception {
        String fleetInput = input().toString();
        String around = sfn.startExecution(request -> request.stateMachineArn(fleet).name("around").input(fleetInput)).executionArn();
        String token = token(around);
        String body = JSON.createObjectNode().put("deploymentId", "release-9").put("execution", around).put("taskToken", token)
                .put("decision", "approve").toString();

        FunctionUrlEvents.Response response = FunctionUrlEvents.send(approve, FunctionUrlEvents.request(ApprovalsTest.ALICE, body));

        assertThat(response.status()).isEqualTo(403);
        assertThatThrownBy(() -> check.check(asked(around, SECRET + "acme"))).isInstanceOf(NotAllowed.class)
                .hasMessageContaining("not approved");
        ObjectNode credentials = input();
        ((ObjectNode) credentials.at("/fleet/targets/1")).set("database", JSON.readTree(
                "{\"jdbcUrl\": \"jdbc:postgresql://db:5432/app\", \"username\": \"app\", \"password\": \"hunter2\"}"));
        FunctionUrlEvents.Response refused = FunctionUrlEvents.send(start, FunctionUrlEvents.request(ApprovalsTest.ALICE, credentials.toString()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errorMessage").asText()).startsWith("field 'fleet.targets[1].database' must be {\"secretArn\": ...} alone");
        assertThat(sfn.listExecutions(request -> request.stateMachineArn(fleet)).executions()).extracting(each -> each.name())
                .containsExactly("around");
        sfn.stopExecution(request -> request.executionArn(around));
    }
}
