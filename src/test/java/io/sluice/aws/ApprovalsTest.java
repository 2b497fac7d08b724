package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sns.SnsClient;

import io.sluice.approval.ApproveCommand;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.error.InvalidRequest;
import io.sluice.function.ApproveFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.MotoServer;
import io.sluice.workflow.Template;

/**
 * Approvals for real against moto: the pipeline's own RequestApproval state (taken from the definition) runs in moto's
 * Step Functions and waits with its task token; the real approve handler records votes in DynamoDB and answers with
 * SendTaskSuccess once the change class's count is reached, or SendTaskFailure on a rejection; each approver votes
 * once, and the count comes from the execution, not the voter.
 */
class ApprovalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SfnClient sfn;
    private DynamoDbClient dynamo;
    private String table;
    private String machine;
    private ApproveFunction approve;

    @BeforeEach
    void pipelineWaitingForApprovals() throws Exception {
        String endpoint = MotoServer.endpoint();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        SnsClient sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL)
                .endpointOverride(URI.create(endpoint)).credentialsProvider(credentials).build();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        table = "sluice-approvals-" + suffix;
        dynamo.createTable(request -> request.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("execution").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("entry").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("execution").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("entry").keyType(KeyType.RANGE).build()));
        String topic = sns.createTopic(request -> request.name("sluice-" + suffix)).topicArn();
        String role = iam.createRole(request -> request.roleName("sluice-approvals-" + suffix).assumeRolePolicyDocument("{}")).role().arn();

        // The definition's own approval state, with what follows it replaced by an end.
        JsonNode pipeline = JSON.readTree(Template.render(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION),
                LocalFunctions.templateValues()));
        ObjectNode state = (ObjectNode) pipeline.at("/States/RequestApproval").deepCopy();
        ((ObjectNode) state.get("Parameters")).put("TopicArn", topic);
        state.put("Next", "Approved");
        ((ObjectNode) state.get("Catch").get(0)).put("Next", "NotApproved");
        ObjectNode definition = JSON.createObjectNode().put("StartAt", "RequestApproval");
        ObjectNode states = definition.putObject("States");
        states.set("RequestApproval", state);
        states.putObject("Approved").put("Type", "Succeed");
        states.putObject("NotApproved").put("Type", "Fail").put("Error", "NotDeployed");
        machine = sfn.createStateMachine(request -> request.name("approvals-" + suffix).roleArn(role).definition(definition.toString()))
                .stateMachineArn();
        approve = new ApproveFunction(new ApproveCommand(new DynamoApprovalLedger(table, () -> dynamo), new SfnPipelineTasks(() -> sfn)),
                new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE)));
    }

    private String start(int approvalsRequired) throws Exception {
        // What Preflight's ResultSelector leaves in the state.
        String input = "{\"deploymentId\": \"release-7\", \"results\": {\"preflight\": {\"report\": {\"valid\": true, \"currentVersion\": \"6\","
                + " \"lint\": {\"scripts\": 1, \"changeClass\": \"major\", \"approvalsRequired\": " + approvalsRequired + ", \"errors\": 0}}}}}";
        String execution = sfn.startExecution(request -> request.stateMachineArn(machine).input(input)).executionArn();
        for (int poll = 0; poll < 100 && token(execution) == null; poll++) {
            Thread.sleep(50);
        }
        return execution;
    }

    /** The task token of the approval request, from the execution's history (what the SNS message carries). */
    private String token(String execution) throws Exception {
        for (HistoryEvent event : sfn.getExecutionHistory(request -> request.executionArn(execution)).events()) {
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                JsonNode message = JSON.readTree(event.taskScheduledEventDetails().parameters()).path("Message");
                message = message.isTextual() ? JSON.readTree(message.asText()) : message;
                return message.path("taskToken").asText(null);
            }
        }
        return null;
    }

    private JsonNode vote(String execution, String token, String approver, String decision) throws Exception {
        String event = JSON.createObjectNode().put("deploymentId", "release-7").put("execution", execution).put("taskToken", token)
                .put("approver", approver).put("decision", decision).put("reason", "reviewed the plan").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        approve.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private ExecutionStatus awaitEnd(String execution) throws InterruptedException {
        for (int poll = 0; poll < 100; poll++) {
            ExecutionStatus status = sfn.describeExecution(request -> request.executionArn(execution)).status();
            if (status != ExecutionStatus.RUNNING) {
                return status;
            }
            Thread.sleep(50);
        }
        return ExecutionStatus.RUNNING;
    }

    @Test
    void twoApprovalsNeeded_theFirstWaits_aSecondVoteByTheSameApproverIsRefused_theSecondApproverReleasesTheExecution() throws Exception {
        String execution = start(2);
        String token = token(execution);

        JsonNode first = vote(execution, token, "alice", "approve");
        assertThat(first.get("status").asText()).isEqualTo("PENDING");
        assertThat(first.get("approvals").asInt()).isEqualTo(1);
        assertThat(first.get("required").asInt()).as("read from the execution's approval state").isEqualTo(2);
        assertThat(sfn.describeExecution(request -> request.executionArn(execution)).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThatThrownBy(() -> vote(execution, token, "alice", "approve")).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'approver': alice already voted on " + execution + "; each approver votes once");

        JsonNode second = vote(execution, token, "bob", "approve");

        assertThat(second.get("status").asText()).isEqualTo("APPROVED");
        assertThat(awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = JSON.readTree(sfn.describeExecution(request -> request.executionArn(execution)).output());
        assertThat(output.at("/results/approval").toString()).as("the state keeps who approved")
                .isEqualTo("{\"approvers\":[\"alice\",\"bob\"]}");
        List<Map<String, String>> audit = dynamo.scan(request -> request.tableName(table)).items().stream()
                .map(item -> Map.of("entry", item.get("entry").s(), "decision", item.get("decision").s())).toList();
        assertThat(audit).containsExactlyInAnyOrder(Map.of("entry", "vote#alice", "decision", "approve"),
                Map.of("entry", "vote#bob", "decision", "approve"), Map.of("entry", "#decision", "decision", "approved"));
    }

    @Test
    void aRejection_failsTheApprovalState_andNoVoteIsTakenAfterIt() throws Exception {
        String execution = start(2);
        String token = token(execution);

        JsonNode rejected = vote(execution, token, "carol", "reject");

        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        HistoryEvent failure = sfn.getExecutionHistory(request -> request.executionArn(execution)).events().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_FAILED).findFirst().orElseThrow();
        assertThat(failure.taskFailedEventDetails().error()).isEqualTo("ApprovalRejected");
        // moto 5.2.5 keeps SendTaskFailure's error but drops its cause; the audit trail keeps who and why.
        assertThat(dynamo.scan(request -> request.tableName(table)).items().stream()
                .map(item -> item.get("entry").s() + " " + item.get("decision").s() + (item.containsKey("reason") ? " " + item.get("reason").s() : "")))
                .containsExactlyInAnyOrder("vote#carol reject reviewed the plan", "#decision rejected");
        DynamoApprovalLedger ledger = new DynamoApprovalLedger(table, () -> dynamo);
        assertThatThrownBy(() -> ledger.vote(execution, "release-7", "dave", "approve", null)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'execution': " + execution + " is already decided; no vote is taken after that");
        assertThatThrownBy(() -> vote(execution, token, "dave", "approve")).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'execution': " + execution + " is FAILED; nothing waits for an approval");
    }

    @Test
    void aTokenTheExecutionNeverIssued_isRefused() throws Exception {
        String execution = start(1);

        assertThatThrownBy(() -> vote(execution, "forged-token", "mallory", "approve")).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'taskToken': " + execution + " never asked for an approval with this token");
        assertThat(sfn.describeExecution(request -> request.executionArn(execution)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.stopExecution(request -> request.executionArn(execution));
    }
}
