package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.workflow.Execution.Status;

/**
 * Map states in the local runner, each outcome as the ASL specification defines it: items from ItemsPath shaped by
 * ItemSelector ({@code $$.Map.Item.Value}, {@code $$.Map.Item.Index}), results in item order, MaxConcurrency with real
 * parallelism, a failing item failing an INLINE Map, a DISTRIBUTED Map's ToleratedFailureCount and
 * ToleratedFailurePercentage with {@code States.ExceedToleratedFailureThreshold} caught, ItemReader (JSON, CSV) and
 * ResultWriter on a local folder that nothing leaves, and what is refused at load.
 */
class MapStateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "arn:aws:states:::lambda:invoke";

    /**
     * A task that sleeps {@code sleepMs}, counts how many run at once, and fails for the databases named "bad-...".
     */
    private static final class Databases implements TaskResources {

        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final long sleepMs;

        Databases(long sleepMs) {
            this.sleepMs = sleepMs;
        }

        @Override
        public boolean serves(String resource) {
            return resource.equals(TASK);
        }

        @Override
        public JsonNode run(TaskCall call) {
            calls.incrementAndGet();
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            String name = call.parameters().path("name").asText();
            if (name.startsWith("bad-")) {
                throw new StatesError("io.sluice.error.CanaryFailed", name + " failed its canary");
            }
            return JSON.createObjectNode().put("released", name).put("index", call.parameters().path("index").asInt());
        }
    }

    private static String definition(String mapFields, String processorConfig) {
        return """
                {"StartAt": "Release", "States": {
                  "Release": {"Type": "Map", "ItemsPath": "$.targets",
                    "ItemSelector": {"name.$": "$$.Map.Item.Value.name", "index.$": "$$.Map.Item.Index", "wave.$": "$.wave"},
                    %s
                    "ItemProcessor": {%s "StartAt": "One", "States": {
                      "One": {"Type": "Task", "Resource": "%s", "Parameters": {"name.$": "$.name", "index.$": "$.index"}, "End": true}}},
                    "ResultPath": "$.results", "Next": "Done",
                    "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "ResultPath": "$.error", "Next": "Stopped"}]},
                  "Done": {"Type": "Succeed"},
                  "Stopped": {"Type": "Fail", "Error": "FleetStopped", "Cause": "a wave failed beyond its tolerance"}}}
                """.formatted(mapFields, processorConfig, TASK);
    }

    private static final String DISTRIBUTED = "\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"},";

    private static JsonNode targets(String... names) throws Exception {
        StringBuilder json = new StringBuilder("{\"wave\": 2, \"targets\": [");
        for (int i = 0; i < names.length; i++) {
            json.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(names[i]).append("\"}");
        }
        return JSON.readTree(json.append("]}").toString());
    }

    private static Execution run(String definition, TaskResources resources, JsonNode input) {
        Definition loaded = Definition.load(definition, resources::serves);
        return new WorkflowRunner(loaded, resources, 0, WorkflowRunner.Listener.SILENT,
                "arn:aws:states:us-east-1:123456789012:stateMachine:fleet").run("fleet-1", input);
    }

    @Test
    void everyItemRuns_shapedByItemSelector_resultsInItemOrder_atMostMaxConcurrencyAtOnce() throws Exception {
        Databases databases = new Databases(60);
        String[] names = new String[12];
        for (int i = 0; i < names.length; i++) {
            names[i] = "tenant-" + i;
        }

        Execution execution = run(definition("\"MaxConcurrency\": 4,", ""), databases, targets(names));

        assertThat(execution.status()).isEqualTo(Status.SUCCEEDED);
        JsonNode results = execution.output().get("results");
        assertThat(results).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(results.get(i).toString()).isEqualTo("{\"released\":\"tenant-" + i + "\",\"index\":" + i + "}");
        }
        assertThat(databases.mostAtOnce.get()).as("real parallelism, capped by MaxConcurrency").isEqualTo(4);
        assertThat(execution.visits().get(0).outcome()).startsWith("12 item(s): 12 succeeded, 0 failed");
    }

    @Test
    void aFailingItem_failsAnInlineMap_withItsError_andItsCatcherDoesNotTakeIt() throws Exception {
        Execution execution = run(definition("\"MaxConcurrency\": 1,", ""), new Databases(1), targets("a", "bad-b", "c", "d"));

        assertThat(execution.status()).isEqualTo(Status.FAILED);
        assertThat(execution.error()).isEqualTo("io.sluice.error.CanaryFailed");
        assertThat(execution.cause()).isEqualTo("bad-b failed its canary");
    }

    @Test
    void aDistributedMap_toleratesFailuresUpToItsCount_andReportsThemAsResults() throws Exception {
        Execution execution = run(definition("\"ToleratedFailureCount\": 1,", DISTRIBUTED), new Databases(1),
                targets("a", "bad-b", "c"));

        assertThat(execution.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(execution.output().get("results").get(1).toString())
                .isEqualTo("{\"Error\":\"io.sluice.error.CanaryFailed\",\"Cause\":\"bad-b failed its canary\"}");
        assertThat(execution.output().get("results").get(2).path("released").asText()).isEqualTo("c");
    }

    @Test
    void beyondItsTolerance_aDistributedMapFailsWithExceedToleratedFailureThreshold_whichItsCatcherTakes_andNoFurtherItemStarts()
            throws Exception {
        Databases databases = new Databases(1);
        Execution execution = run(definition("\"MaxConcurrency\": 1, \"ToleratedFailurePercentage\": 10,", DISTRIBUTED), databases,
                targets("a", "bad-b", "bad-c", "d", "e", "f", "g", "h", "i", "j"));

        assertThat(execution.status()).isEqualTo(Status.FAILED);
        assertThat(execution.error()).isEqualTo("FleetStopped");
        assertThat(execution.visits()).extracting(Execution.Visit::state).containsExactly("Release", "Stopped");
        assertThat(execution.visits().get(0).output().at("/error/Error").asText()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(execution.visits().get(0).output().at("/error/Cause").asText()).isEqualTo("2 of 10 items failed, more than the Map"
                + " tolerates (ToleratedFailurePercentage 10.0); the last: io.sluice.error.CanaryFailed: bad-c failed its canary");
        assertThat(databases.calls.get()).as("one at a time: nothing starts after the threshold is passed").isEqualTo(3);
    }

    @Test
    void concurrencyAndToleranceReadFromTheInput_throughTheirPathFields() throws Exception {
        Databases databases = new Databases(60);
        String definition = definition("\"MaxConcurrencyPath\": \"$.limits.concurrency\", \"ToleratedFailurePercentagePath\":"
                + " \"$.limits.tolerated\",", DISTRIBUTED);
        ObjectNode input = (ObjectNode) targets("a", "bad-b", "c", "d", "e", "f");
        input.putObject("limits").put("concurrency", 2).put("tolerated", 20);

        Execution tolerated = run(definition, databases, input);

        assertThat(tolerated.status()).as("1 of 6 failed: 16.7 %% <= 20 %%").isEqualTo(Status.SUCCEEDED);
        assertThat(databases.mostAtOnce.get()).isEqualTo(2);

        input.with("limits").put("tolerated", 10);
        Execution stopped = run(definition, databases, input);
        assertThat(stopped.error()).isEqualTo("FleetStopped");
        assertThat(stopped.visits().get(0).output().at("/error/Cause").asText()).startsWith("1 of 6 items failed, more than the Map"
                + " tolerates (ToleratedFailurePercentage 10.0)");

        input.with("limits").put("concurrency", "ten");
        Execution refused = run(definition, databases, input);
        assertThat(refused.error()).isEqualTo("States.Runtime");
        assertThat(refused.cause()).contains("MaxConcurrencyPath must select a whole number >= 0");
        assertThatThrownBy(() -> Definition.load(definition("\"MaxConcurrency\": 2, \"MaxConcurrencyPath\": \"$.n\",", DISTRIBUTED),
                databases::serves)).hasMessageContaining("a Map has MaxConcurrency or MaxConcurrencyPath, not both");
    }

    @Test
    void itemsPathThatIsNoArray_endsTheExecution_uncaught() throws Exception {
        Execution execution = run(definition("", DISTRIBUTED), new Databases(1),
                JSON.readTree("{\"targets\": {\"name\": \"a\"}}"));

        assertThat(execution.status()).isEqualTo(Status.FAILED);
        assertThat(execution.error()).isEqualTo("States.Runtime");
        assertThat(execution.cause()).isEqualTo("ItemsPath $.targets holds OBJECT, not an array");
    }

    @Test
    void whatTheRunnerDoesNotImplement_isRefusedAtLoad_namingTheState() {
        Databases databases = new Databases(1);
        assertThatThrownBy(() -> run(definition("\"ItemBatcher\": {\"MaxItemsPerBatch\": 10},", DISTRIBUTED),
                databases, JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("Release").hasMessageContaining("field ItemBatcher");
        assertThatThrownBy(() -> run(definition("\"ToleratedFailureCount\": 1,", ""), databases, JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("belong to a DISTRIBUTED Map");
        assertThatThrownBy(() -> run(definition("\"MaxConcurrency\": -1,", ""), databases, JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("MaxConcurrency must be a whole number >= 0");
        assertThatThrownBy(() -> run(definition("", "\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"EXPRESS\"},"),
                databases, JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("STANDARD ones only");
        assertThatThrownBy(() -> run(definition("", "").replace("\"End\": true}}}", "\"Next\": \"Done\"}}}"), databases,
                JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("ItemProcessor").hasMessageContaining("'Done'");
    }

    /** A fleet read from a manifest file and its results written beside it, as a Distributed Map with S3 does. */
    private static String fromManifest(String readerConfig, String key) {
        return """
                {"StartAt": "Release", "States": {
                  "Release": {"Type": "Map",
                    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": %s,
                                   "Parameters": {"Bucket": "fleet-manifests", "Key.$": "$.manifest"}},
                    "ItemSelector": {"name.$": "$$.Map.Item.Value.name", "index.$": "$$.Map.Item.Index"},
                    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "One",
                      "States": {"One": {"Type": "Task", "Resource": "%s", "Parameters": {"name.$": "$.name", "index.$": "$.index"},
                                         "End": true}}},
                    "ToleratedFailureCount": 5,
                    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "fleet-results", "Prefix": "release-7"}},
                    "ResultPath": "$.results", "End": true}}}
                """.formatted(readerConfig, TASK).replace("%KEY%", key);
    }

    @Test
    void itemReader_readsAJsonOrCsvManifest_andResultWriter_leavesSucceededAndFailedFilesAndAManifest(@TempDir Path root) throws Exception {
        Path manifests = Files.createDirectories(root.resolve("fleet-manifests").resolve("tenants"));
        Files.writeString(manifests.resolve("fleet.json"), "[{\"name\": \"a\"}, {\"name\": \"bad-b\"}, {\"name\": \"c\"}]");
        Files.writeString(manifests.resolve("fleet.csv"), "name,region\r\na,eu\r\n\"bad-b\",\"us, east\"\r\nc,ap\r\nd,eu\r\n");
        TaskResources resources = new Databases(1).and(new LocalObjects(root));

        Execution json = run(fromManifest("{\"InputType\": \"JSON\"}", ""), resources,
                JSON.readTree("{\"manifest\": \"tenants/fleet.json\"}"));
        Execution csv = run(fromManifest("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"FIRST_ROW\", \"MaxItems\": 3}", ""),
                resources, JSON.readTree("{\"manifest\": \"tenants/fleet.csv\"}"));

        for (Execution execution : java.util.List.of(json, csv)) {
            assertThat(execution.status()).isEqualTo(Status.SUCCEEDED);
            String manifestKey = execution.output().at("/results/ResultWriterDetails/Key").asText();
            assertThat(manifestKey).startsWith("release-7/").endsWith("/manifest.json");
            assertThat(execution.output().at("/results/ResultWriterDetails/Bucket").asText()).isEqualTo("fleet-results");
            Path folder = root.resolve("fleet-results").resolve(manifestKey).getParent();
            JsonNode succeeded = JSON.readTree(folder.resolve("SUCCEEDED_0.json").toFile());
            JsonNode failed = JSON.readTree(folder.resolve("FAILED_0.json").toFile());
            assertThat(succeeded.findValuesAsText("Name")).containsExactly("fleet-1-Release-0", "fleet-1-Release-2");
            // Step Functions writes each child's input and output as JSON text.
            assertThat(JSON.readTree(succeeded.get(1).path("Output").asText()).path("released").asText()).isEqualTo("c");
            assertThat(JSON.readTree(failed.get(0).path("Input").asText()).isObject()).isTrue();
            assertThat(succeeded.get(0).path("ExecutionArn").asText()).contains(":execution:");
            assertThat(failed.get(0).toString()).contains("\"Status\":\"FAILED\"", "\"Error\":\"io.sluice.error.CanaryFailed\"",
                    "\"Cause\":\"bad-b failed its canary\"");
            JsonNode manifest = JSON.readTree(root.resolve("fleet-results").resolve(manifestKey).toFile());
            assertThat(manifest.at("/ResultFiles/SUCCEEDED/0/Key").asText()).endsWith("/SUCCEEDED_0.json");
            assertThat(manifest.at("/ResultFiles/FAILED/0/Key").asText()).endsWith("/FAILED_0.json");
        }
    }

    @Test
    void aManifestKeyLeadingOutOfItsBucket_orABucketNameS3Refuses_isRefused_andNothingIsRead(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("fleet-manifests"));
        Files.writeString(root.resolve("secret.json"), "[{\"name\": \"stolen\"}]");
        TaskResources resources = new Databases(1).and(new LocalObjects(root.resolve("objects")));
        Files.createDirectories(root.resolve("objects").resolve("fleet-manifests"));
        Files.writeString(root.resolve("objects").resolve("secret.json"), "[{\"name\": \"stolen\"}]");

        Execution escaped = run(fromManifest("{\"InputType\": \"JSON\"}", ""), resources,
                JSON.readTree("{\"manifest\": \"../secret.json\"}"));
        Execution absolute = run(fromManifest("{\"InputType\": \"JSON\"}", ""), resources,
                JSON.readTree("{\"manifest\": \"/etc/passwd\"}"));

        assertThat(escaped.status()).isEqualTo(Status.FAILED);
        assertThat(escaped.error()).isEqualTo("S3.S3Exception");
        assertThat(escaped.cause()).startsWith("the key '../secret.json' leads out of bucket fleet-manifests's folder");
        assertThat(absolute.cause()).isEqualTo("the key must be 1-1024 bytes and relative to its bucket");
        assertThatThrownBy(() -> new LocalObjects(root).run(new TaskResources.TaskCall("Release", LocalObjects.GET_OBJECT,
                JSON.readTree("{\"Bucket\": \"..\", \"Key\": \"secret.json\"}"), null, 60)))
                .isInstanceOf(StatesError.class).hasMessageContaining("S3.InvalidBucketNameException");
    }

    @Test
    void anItemReaderWithItemsPath_orOnAnInlineMap_isRefusedAtLoad() {
        Databases databases = new Databases(1);
        TaskResources resources = databases.and(new LocalObjects(Path.of("target")));
        assertThatThrownBy(() -> Definition.load(fromManifest("{\"InputType\": \"JSON\"}", "").replace("\"ItemReader\"",
                "\"ItemsPath\": \"$.targets\", \"ItemReader\""), resources::serves))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("from ItemReader or ItemsPath, not both");
        assertThatThrownBy(() -> Definition.load(fromManifest("{\"InputType\": \"MANIFEST\"}", ""), resources::serves))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("InputType must be JSON or CSV");
        assertThatThrownBy(() -> Definition.load(fromManifest("{\"InputType\": \"JSON\"}", ""), databases::serves))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("arn:aws:states:::s3:getObject is not bound");
    }

    @Test
    void eachItemAsAChildExecution_startExecutionSync2_returnsTheChildsOutput_andAFailingChildFailsItsItemWithItsError() throws Exception {
        String child = """
                {"StartAt": "Release", "States": {
                  "Release": {"Type": "Task", "Resource": "%s", "Parameters": {"name.$": "$.database.name", "index.$": "$.index"},
                              "ResultPath": "$.released", "End": true}}}
                """.formatted(TASK);
        String pipelineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:sluice-pipeline";
        String fleet = """
                {"StartAt": "Wave", "States": {
                  "Wave": {"Type": "Map", "ItemsPath": "$.targets", "MaxConcurrency": 2, "ToleratedFailureCount": 1,
                    "ItemSelector": {"database.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "deploymentId.$": "$.deploymentId"},
                    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Pipeline",
                      "States": {"Pipeline": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                        "Parameters": {"StateMachineArn": "%s", "Input.$": "$",
                                       "Name.$": "States.Format('{}-{}', $.deploymentId, $.database.name)"},
                        "OutputPath": "$.Output", "End": true}}},
                    "End": true}}}
                """.formatted(pipelineArn);
        Databases databases = new Databases(1);
        TaskResources[] all = new TaskResources[1];
        LocalExecutions executions = new LocalExecutions(java.util.Map.of(pipelineArn, Definition.load(child, databases::serves)),
                () -> all[0], 0);
        all[0] = databases.and(executions);

        Execution execution = run(fleet, all[0], JSON.readTree("{\"deploymentId\": \"release-7\", \"targets\": [{\"name\": \"a\"},"
                + " {\"name\": \"bad-b\"}, {\"name\": \"c\"}]}"));

        assertThat(execution.status()).isEqualTo(Status.SUCCEEDED);
        JsonNode results = execution.output();
        assertThat(results.get(0).at("/released/released").asText()).isEqualTo("a");
        assertThat(results.get(0).path("deploymentId").asText()).isEqualTo("release-7");
        assertThat(results.get(1).path("Error").asText()).isEqualTo("States.TaskFailed");
        JsonNode childDescription = JSON.readTree(results.get(1).path("Cause").asText());
        assertThat(childDescription.path("Status").asText()).isEqualTo("FAILED");
        assertThat(childDescription.path("Name").asText()).isEqualTo("release-7-bad-b");
        assertThat(childDescription.path("Error").asText()).isEqualTo("io.sluice.error.CanaryFailed");
        assertThat(childDescription.path("ExecutionArn").asText()).isEqualTo(
                "arn:aws:states:us-east-1:123456789012:execution:sluice-pipeline:release-7-bad-b");
        assertThat(results.get(2).at("/released/released").asText()).isEqualTo("c");

        Execution again = run(fleet, all[0], JSON.readTree("{\"deploymentId\": \"release-7\", \"targets\": [{\"name\": \"a\"}]}"));
        assertThat(again.output().get(0).toString()).as("an execution name runs once per state machine").isEqualTo(
                "{\"Error\":\"StepFunctions.ExecutionAlreadyExistsException\",\"Cause\":\"Execution Already Exists: 'release-7-a'\"}");
    }
}
