package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.workflow.Execution.Status;

/**
 * Map states in the local runner, each outcome as the ASL specification defines it: items from ItemsPath shaped by
 * ItemSelector ({@code $$.Map.Item.Value}, {@code $$.Map.Item.Index}), results in item order, MaxConcurrency with real
 * parallelism, a failing item failing an INLINE Map, a DISTRIBUTED Map's ToleratedFailureCount and
 * ToleratedFailurePercentage with {@code States.ExceedToleratedFailureThreshold} caught, and what is refused at load.
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
        assertThatThrownBy(() -> run(definition("\"ItemReader\": {\"Resource\": \"arn:aws:states:::s3:getObject\"},", DISTRIBUTED),
                databases, JSON.createObjectNode()))
                .isInstanceOf(DefinitionRefused.class).hasMessageContaining("Release").hasMessageContaining("field ItemReader");
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
}
