package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cli.LocalFunctions;

/**
 * The restore workflow's loop, on the local engine: the rollback function's answers are given (RDS's own restore
 * takes minutes and moto's is available at once, so the loop is driven here), everything else is the definition as
 * Terraform renders it. The restore itself against RDS is {@code RdsSnapshotsTest}'s and {@code EndToEndTest}'s.
 */
class RestoreDefinitionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The sample input, as an operator starts the workflow. */
    private static final Path INPUT = Path.of("events", "restore", "restore.json");

    /** Lambda answers in order; SNS messages kept. */
    private static final class Answers implements TaskResources {

        final Deque<Object> rollback = new ArrayDeque<>();
        final List<JsonNode> payloads = new ArrayList<>();
        final List<JsonNode> published = new ArrayList<>();

        Answers status(String status, String rdsStatus) throws Exception {
            rollback.add(JSON.readTree("""
                    {"Payload": {"status": "%s", "restore": {"sourceInstance": "shop-db", "snapshot": "sluice-shop-db-release-8-v7-1",
                     "snapshotVersion": "7", "instance": "shop-db-restored-1", "status": "%s"%s}}, "StatusCode": 200}"""
                    .formatted(status, rdsStatus, rdsStatus.equals("available") ? ", \"endpoint\": \"shop-db-restored-1.rds:5432\"" : "")));
            return this;
        }

        Answers fails(String error) {
            rollback.add(new StatesError(error, "{\"errorMessage\": \"RDS reports the restored instance shop-db-restored-1 as failed\"}"));
            return this;
        }

        @Override
        public boolean serves(String resource) {
            return resource.equals("arn:aws:states:::lambda:invoke") || resource.equals("arn:aws:states:::sns:publish");
        }

        @Override
        public JsonNode run(TaskCall call) {
            if (call.resource().endsWith("sns:publish")) {
                published.add(call.parameters().get("Message"));
                return JSON.createObjectNode().put("MessageId", "m");
            }
            payloads.add(call.parameters().get("Payload"));
            Object answer = rollback.remove();
            if (answer instanceof StatesError error) {
                throw error;
            }
            return (JsonNode) answer;
        }
    }

    private static Execution run(Answers answers) throws Exception {
        String definition = Template.render(Files.readString(Path.of("terraform", "statemachine", "restore.asl.json")),
                LocalFunctions.templateValues());
        return new WorkflowRunner(Definition.load(definition, answers::serves), answers, 0, WorkflowRunner.Listener.SILENT,
                "arn:aws:states:us-east-1:123456789012:stateMachine:sluice-restore").run("restore-8", JSON.readTree(INPUT.toFile()));
    }

    @Test
    void whileRdsIsCreating_theWorkflowAsksAgain_thenPublishesTheEndpoint() throws Exception {
        Answers answers = new Answers().status("RESTORING", "creating").status("RESTORING", "modifying").status("RESTORED", "available");

        Execution execution = run(answers);

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.path()).containsExactly("Restore", "InstanceAvailable", "WaitForInstance", "CheckRestore",
                "InstanceAvailable", "WaitForInstance", "CheckRestore", "InstanceAvailable", "NotifyRestored", "Restored");
        assertThat(answers.payloads.get(0).has("restoredInstance")).as("the first call picks the name").isFalse();
        assertThat(answers.payloads.get(1).get("restoredInstance").asText()).isEqualTo("shop-db-restored-1");
        assertThat(answers.payloads.get(1).get("strategy").asText()).isEqualTo("snapshot");
        assertThat(answers.published).extracting(JsonNode::toString).containsExactly("{\"type\":\"restored\",\"deploymentId\":"
                + "\"release-2026.12.01-1\",\"execution\":\"arn:aws:states:us-east-1:123456789012:execution:sluice-restore:restore-8\","
                + "\"sourceInstance\":\"shop-db\",\"snapshot\":\"sluice-shop-db-release-8-v7-1\",\"instance\":\"shop-db-restored-1\","
                + "\"endpoint\":\"shop-db-restored-1.rds:5432\"}");
        assertThat(execution.output().at("/restore/endpoint").asText()).isEqualTo("shop-db-restored-1.rds:5432");
    }

    @Test
    void aRestoreRdsReportsFailed_endsTheWorkflowFailed_afterSayingSo() throws Exception {
        Answers answers = new Answers().status("RESTORING", "creating").fails("io.sluice.error.RollbackFailed");

        Execution execution = run(answers);

        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo("RestoreFailed");
        assertThat(execution.path()).containsExactly("Restore", "InstanceAvailable", "WaitForInstance", "CheckRestore",
                "NotifyRestoreFailed", "RestoreFailed");
        assertThat(answers.published).singleElement().satisfies(message -> {
            assertThat(message.get("type").asText()).isEqualTo("restore-failed");
            assertThat(message.at("/cause/Error").asText()).isEqualTo("io.sluice.error.RollbackFailed");
        });
    }
}
