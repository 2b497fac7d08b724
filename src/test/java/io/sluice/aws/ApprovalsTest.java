package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sns.SnsClient;

import io.sluice.approval.ApproveCommand;
import io.sluice.approval.Approvers;
import io.sluice.approval.StartCommand;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.error.InvalidRequest;
import io.sluice.function.ApproveFunction;
import io.sluice.function.StartFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.FunctionUrlEvents;
import io.sluice.testing.MotoServer;
import io.sluice.workflow.Template;

/**
 * Approvals for real against moto: the real start handler records who starts an execution of the pipeline's own
 * RequestApproval state (taken from the definition), which runs in moto's Step Functions and waits with its task token;
 * the real approve handler, fed function URL requests as AWS documents them, records votes in DynamoDB under the name
 * the allow-list gives the caller's principal and answers with SendTaskSuccess once the change class's count is reached,
 * or SendTaskFailure on a rejection. Each approver votes once, the count comes from the execution, not the voter; and
 * the ways the security review forged approvals (a name in the body, one principal voting twice, the starter approving,
 * an execution started around the start function) are refused.
 */
class ApprovalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SfnClient sfn;
    private DynamoDbClient dynamo;
    private String table;
    private String machine;
    private ApproveFunction approve;
    private StartFunction startFunction;

    private static final String ACCOUNT = "arn:aws:iam::123456789012:";
    static final String ALICE = ACCOUNT + "user/alice";
    static final String BOB = ACCOUNT + "user/bob";
    static final String CAROL = "arn:aws:sts::123456789012:assumed-role/Approvers/carol";
    /** The deploy workflow's role session, named after the GitHub actor who released. */
    static final String DEPLOY_AS_CAROL = "arn:aws:sts::123456789012:assumed-role/sluice-github-deploy/carol";
    static final String MALLORY = ACCOUNT + "user/mallory";
    static final Approvers APPROVERS = Approvers.of(List.of(ALICE + "=alice", BOB + "=bob", CAROL + "=carol"));

    @BeforeEach
    void pipelineWaitingForApprovals() throws Exception {
        sfn = MotoServer.client(SfnClient.builder());
        dynamo = MotoServer.client(DynamoDbClient.builder());
        SnsClient sns = MotoServer.client(SnsClient.builder());
        IamClient iam = MotoServer.client(IamClient.builder(), Region.AWS_GLOBAL);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        table = "sluice-approvals-" + suffix;
        MotoServer.approvalsTable(dynamo, table);
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
        DynamoApprovalLedger ledger = new DynamoApprovalLedger(table, () -> dynamo);
        SfnPipelineTasks tasks = new SfnPipelineTasks(() -> sfn, machine);
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE));
        approve = new ApproveFunction(new ApproveCommand(ledger, tasks, APPROVERS), boundary);
        startFunction = new StartFunction(new StartCommand(ledger, tasks), boundary);
    }

    /**
     * What Preflight's ResultSelector leaves in the state (the canary with its defaults among it), with the release's
     * database by its secret.
     */
    private static String input(int approvalsRequired) {
        return "{\"deploymentId\": \"release-7\", \"database\": {\"secretArn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                + "app-db-AbCdEf\"}, \"canary\": {\"probes\": [\"SELECT count(*) FROM orders\"], \"maxHolds\": 3}, \"results\": {\"preflight\": {\"report\": {\"valid\": true, \"currentVersion\": \"6\","
                + " \"plans\": {\"skipped\": \"not asked: the event has no plans object\"}, \"lint\":"
                + " {\"scripts\": 1, \"changeClass\": \"major\", \"approvalsRequired\": " + approvalsRequired + ", \"errors\": 0}}}}}";
    }

    /** The release started through the start function's URL by {@code principal}; its execution, once it waits. */
    private String startAs(String principal, int approvalsRequired) throws Exception {
        FunctionUrlEvents.Response started = FunctionUrlEvents.send(startFunction, FunctionUrlEvents.request(principal, input(approvalsRequired)));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(200);
        assertThat(started.body().get("startedBy").asText()).isEqualTo(principal);
        return awaitToken(started.body().get("execution").asText());
    }

    private String awaitToken(String execution) throws Exception {
        for (int poll = 0; poll < 100 && token(execution) == null; poll++) {
            Thread.sleep(50);
        }
        return execution;
    }

    private String start(int approvalsRequired) throws Exception {
        return startAs(DEPLOY_AS_CAROL.replace("/carol", "/dave"), approvalsRequired);
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

    /** A vote through the function URL, signed by {@code principal}; the body as an approver's tool sends it. */
    private FunctionUrlEvents.Response send(String principal, String execution, String token, String decision) throws Exception {
        String body = JSON.createObjectNode().put("deploymentId", "release-7").put("execution", execution).put("taskToken", token)
                .put("decision", decision).put("reason", "reviewed the plan").toString();
        return FunctionUrlEvents.send(approve, FunctionUrlEvents.request(principal, body));
    }

    /** {@link #send}, expecting the vote to be taken. */
    private JsonNode vote(String execution, String token, String principal, String decision) throws Exception {
        FunctionUrlEvents.Response response = send(principal, execution, token, decision);
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body();
    }

    private static void refused(FunctionUrlEvents.Response response, int status, String type, String message) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().get("errorType").asText()).isEqualTo(type);
        assertThat(response.body().get("errorMessage").asText()).isEqualTo(message);
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

        JsonNode first = vote(execution, token, ALICE, "approve");
        assertThat(first.get("status").asText()).isEqualTo("PENDING");
        assertThat(first.get("approvals").asInt()).isEqualTo(1);
        assertThat(first.get("required").asInt()).as("read from the execution's approval state").isEqualTo(2);
        assertThat(sfn.describeExecution(request -> request.executionArn(execution)).status()).isEqualTo(ExecutionStatus.RUNNING);
        refused(send(ALICE, execution, token, "approve"), 400, "io.sluice.error.InvalidRequest",
                "field 'approver': alice already voted on " + execution + "; each approver votes once");

        JsonNode second = vote(execution, token, BOB, "approve");

        assertThat(second.get("status").asText()).isEqualTo("APPROVED");
        assertThat(awaitEnd(execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = JSON.readTree(sfn.describeExecution(request -> request.executionArn(execution)).output());
        assertThat(output.at("/results/approval").toString()).as("the state keeps who approved")
                .isEqualTo("{\"approvers\":[\"alice\",\"bob\"]}");
        List<Map<String, String>> audit = dynamo.scan(request -> request.tableName(table)).items().stream()
                .filter(item -> item.containsKey("decision"))
                .map(item -> Map.of("entry", item.get("entry").s(), "decision", item.get("decision").s())).toList();
        assertThat(audit).containsExactlyInAnyOrder(Map.of("entry", "vote#alice", "decision", "approve"),
                Map.of("entry", "vote#bob", "decision", "approve"), Map.of("entry", "#decision", "decision", "approved"));
        assertThat(dynamo.getItem(request -> request.tableName(table).key(Map.of("execution", s(execution), "entry", s("#started-by"))))
                .item().get("by").s()).isEqualTo(DEPLOY_AS_CAROL.replace("/carol", "/dave"));
    }

    @Test
    void aRejection_failsTheApprovalState_andNoVoteIsTakenAfterIt() throws Exception {
        String execution = start(2);
        String token = token(execution);

        JsonNode rejected = vote(execution, token, CAROL, "reject");

        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(awaitEnd(execution)).isEqualTo(ExecutionStatus.FAILED);
        HistoryEvent failure = sfn.getExecutionHistory(request -> request.executionArn(execution)).events().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_FAILED).findFirst().orElseThrow();
        assertThat(failure.taskFailedEventDetails().error()).isEqualTo("ApprovalRejected");
        // moto 5.2.5 keeps SendTaskFailure's error but drops its cause; the audit trail keeps who and why.
        assertThat(dynamo.scan(request -> request.tableName(table)).items().stream().filter(item -> item.containsKey("decision"))
                .map(item -> item.get("entry").s() + " " + item.get("decision").s() + (item.containsKey("reason") ? " " + item.get("reason").s() : "")))
                .containsExactlyInAnyOrder("vote#carol reject reviewed the plan", "#decision rejected");
        DynamoApprovalLedger ledger = new DynamoApprovalLedger(table, () -> dynamo);
        assertThatThrownBy(() -> ledger.vote(execution, "release-7", "dave", "approve", null)).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'execution': " + execution + " is already decided; no vote is taken after that");
        refused(send(BOB, execution, token, "approve"), 400, "io.sluice.error.InvalidRequest",
                "field 'execution': " + execution + " is FAILED; nothing waits for an approval");
    }

    @Test
    void aTokenTheExecutionNeverIssued_isRefused() throws Exception {
        String execution = start(1);

        refused(send(ALICE, execution, "forged-token", "approve"), 400, "io.sluice.error.InvalidRequest",
                "field 'taskToken': " + execution + " never asked for an approval with this token");
        assertThat(sfn.describeExecution(request -> request.executionArn(execution)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.stopExecution(request -> request.executionArn(execution));
    }

    @Test
    void aNameInTheBody_isRefused_theApproverIsTheCallerOnly() throws Exception {
        String execution = start(2);
        String token = token(execution);
        String forged = JSON.createObjectNode().put("deploymentId", "release-7").put("execution", execution).put("taskToken", token)
                .put("approver", "bob").put("decision", "approve").toString();

        FunctionUrlEvents.Response response = FunctionUrlEvents.send(approve, FunctionUrlEvents.request(ALICE, forged));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errorMessage").asText()).startsWith("field 'approver' is not part of the approve event");
        assertThat(votes(execution)).isEmpty();
        sfn.stopExecution(request -> request.executionArn(execution));
    }

    @Test
    void onePrincipal_votesOnce_whateverItCallsItself() throws Exception {
        String execution = start(2);
        String token = token(execution);
        vote(execution, token, ALICE, "approve");

        refused(send(ALICE, execution, token, "approve"), 400, "io.sluice.error.InvalidRequest",
                "field 'approver': alice already voted on " + execution + "; each approver votes once");

        assertThat(votes(execution)).containsExactly("vote#alice");
        assertThat(sfn.describeExecution(request -> request.executionArn(execution)).status()).isEqualTo(ExecutionStatus.RUNNING);
        sfn.stopExecution(request -> request.executionArn(execution));
    }

    @Test
    void whoStartedTheRelease_cannotApproveIt_underTheSamePrincipalOrAnother_butMayRejectIt() throws Exception {
        String byCarol = startAs(CAROL, 1);
        refused(send(CAROL, byCarol, token(byCarol), "approve"), 403, "io.sluice.error.NotAllowed",
                "carol started " + byCarol + " (as " + CAROL + "); whoever starts a release may reject it, never approve it");

        // Released by carol through the deploy workflow, whose role session is named after her: still her release.
        String viaDeploy = startAs(DEPLOY_AS_CAROL, 1);
        refused(send(CAROL, viaDeploy, token(viaDeploy), "approve"), 403, "io.sluice.error.NotAllowed",
                "carol started " + viaDeploy + " (as " + DEPLOY_AS_CAROL + "); whoever starts a release may reject it, never approve it");
        assertThat(votes(byCarol)).isEmpty();
        assertThat(votes(viaDeploy)).isEmpty();

        assertThat(vote(viaDeploy, token(viaDeploy), CAROL, "reject").get("status").asText()).isEqualTo("REJECTED");
        assertThat(awaitEnd(viaDeploy)).isEqualTo(ExecutionStatus.FAILED);
        sfn.stopExecution(request -> request.executionArn(byCarol));
    }

    /**
     * The attack: GitHub keeps a login's case (Carol) while the approvers list names her carol; the deploy session
     * carries the login. A case-sensitive comparison let her approve her own release.
     */
    @Test
    void whoStartedTheRelease_underHerLoginInAnotherCase_cannotApproveIt() throws Exception {
        String viaDeploy = startAs(DEPLOY_AS_CAROL.replace("/carol", "/Carol"), 1);
        refused(send(CAROL, viaDeploy, token(viaDeploy), "approve"), 403, "io.sluice.error.NotAllowed",
                "carol started " + viaDeploy + " (as " + DEPLOY_AS_CAROL.replace("/carol", "/Carol") + "); whoever starts a release may"
                        + " reject it, never approve it");
        assertThat(votes(viaDeploy)).isEmpty();
        sfn.stopExecution(request -> request.executionArn(viaDeploy));
    }

    @Test
    void aPrincipalNotInTheAllowList_anUnsignedRequest_andAnExecutionStartedAroundTheStartFunction_approveNothing() throws Exception {
        String execution = start(1);
        String token = token(execution);
        refused(send(MALLORY, execution, token, "approve"), 403, "io.sluice.error.NotAllowed",
                MALLORY + " is not an approver (sluice.approval.approvers); nothing was recorded");
        String unsigned = JSON.createObjectNode().put("execution", execution).put("taskToken", token).put("decision", "approve").toString();
        FunctionUrlEvents.Response direct = FunctionUrlEvents.send(approve, unsigned);
        assertThat(direct.status()).isEqualTo(403);
        assertThat(direct.body().get("errorMessage").asText()).isEqualTo("the request context names no IAM principal"
                + " (requestContext.authorizer.iam.userArn is null): this function answers its function URL with AWS_IAM auth only");

        String around = awaitToken(sfn.startExecution(request -> request.stateMachineArn(machine).input(input(1))).executionArn());
        refused(send(ALICE, around, token(around), "approve"), 403, "io.sluice.error.NotAllowed",
                around + " was not started through the start function, so who started it is not known and nobody may approve it;"
                        + " start releases through the start function's URL");

        assertThat(votes(execution)).isEmpty();
        assertThat(votes(around)).isEmpty();
        sfn.stopExecution(request -> request.executionArn(execution));
        sfn.stopExecution(request -> request.executionArn(around));
    }

    @Test
    void theStartFunction_refusesAnInputCarryingCredentials_andStartsNothing() throws Exception {
        String inline = input(1).replace("{\"secretArn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:app-db-AbCdEf\"}",
                "{\"jdbcUrl\": \"jdbc:postgresql://db:5432/app\", \"username\": \"app\", \"password\": \"hunter2\"}");

        FunctionUrlEvents.Response response = FunctionUrlEvents.send(startFunction, FunctionUrlEvents.request(ALICE, inline));

        refused(response, 400, "io.sluice.error.InvalidRequest", "field 'database' must be {\"secretArn\": ...} alone: a release"
                + " started here names its database by its secret, so that no URL, user or password reaches the execution's history"
                + " (it has jdbcUrl, username, password)");
        assertThat(sfn.listExecutions(request -> request.stateMachineArn(machine)).executions()).isEmpty();
        assertThat(dynamo.scan(request -> request.tableName(table)).items()).isEmpty();
    }

    /** The vote entries recorded on {@code execution}. */
    private List<String> votes(String execution) {
        return dynamo.scan(request -> request.tableName(table)).items().stream()
                .filter(item -> item.get("execution").s().equals(execution) && item.get("entry").s().startsWith("vote#"))
                .map(item -> item.get("entry").s()).toList();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue s(String value) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder().s(value).build();
    }
}
