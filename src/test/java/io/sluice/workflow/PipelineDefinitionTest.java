package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Named;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.error.ErrorCode;
import io.sluice.error.SluiceException;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.MigrateFunction;
import io.sluice.function.RollbackFunction;
import io.sluice.function.ValidateFunction;

/**
 * The rules the pipeline definition must keep, read from the file itself: every Task bounded in time and caught,
 * retries only for what a retry can fix, every error name one the functions really raise, every function one that
 * exists, every state reachable and every path ending, and nothing after Migrate starts that can end without the
 * rollback.
 */
class PipelineDefinitionTest {

    private static final Path DEFINITION = Path.of("terraform/statemachine/pipeline.asl.json");
    private static final Pattern FUNCTION_PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)_function_arn}");
    /** Errors of the Lambda service itself (throttling, a failed start): retrying them is safe. */
    private static final Set<String> TRANSIENT_SERVICE_ERRORS = Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "SNS.ThrottledException", "SNS.KMSThrottlingException",
            "SNS.InternalErrorException", "Ssm.ThrottlingException", "Ssm.TooManyUpdatesException", "Ssm.InternalServerErrorException");

    private static Map<String, JsonNode> states;
    private static String startAt;

    @BeforeAll
    static void read() throws Exception {
        JsonNode definition = new ObjectMapper().readTree(Files.readString(DEFINITION));
        startAt = definition.get("StartAt").asText();
        states = new LinkedHashMap<>();
        definition.get("States").fields().forEachRemaining(entry -> states.put(entry.getKey(), entry.getValue()));
        assertThat(definition.get("TimeoutSeconds").asInt()).as("the execution as a whole is bounded").isPositive();
    }

    @Test
    void everyTask_hasATimeout_andACatchForEveryError() {
        assertThat(tasks()).allSatisfy((name, task) -> {
            assertThat(task.path("TimeoutSeconds").asInt()).as("%s TimeoutSeconds", name).isPositive();
            assertThat(task.path("Catch")).as("%s Catch", name).anySatisfy(katch ->
                    assertThat(katch.get("ErrorEquals")).extracting(JsonNode::asText).contains("States.ALL"));
        });
    }

    @Test
    void retries_areOnlyForTransientErrors() {
        assertThat(tasks()).allSatisfy((name, task) -> task.path("Retry").forEach(retry -> retry.get("ErrorEquals").forEach(error -> {
            String type = error.asText();
            assertThat(TRANSIENT_SERVICE_ERRORS.contains(type) || isTransientSluiceError(type))
                    .as("%s retries %s, which a retry cannot fix", name, type).isTrue();
        })));
    }

    @Test
    void everySluiceErrorNamed_isOneTheFunctionsRaise() {
        List<String> named = new ArrayList<>();
        tasks().values().forEach(task -> {
            task.path("Retry").forEach(retry -> retry.get("ErrorEquals").forEach(error -> named.add(error.asText())));
            task.path("Catch").forEach(katch -> katch.get("ErrorEquals").forEach(error -> named.add(error.asText())));
        });
        assertThat(named).filteredOn(name -> name.startsWith("io.sluice.")).isNotEmpty().allSatisfy(name ->
                assertThat(SluiceException.class.isAssignableFrom(load(name))).as(name).isTrue());
    }

    @Test
    void everyFunctionCalled_isAHandlerTheArtifactHas() {
        Set<String> handlers = Set.of(named(MigrateFunction.class), named(ValidateFunction.class), named(RollbackFunction.class),
                named(CanaryCheckFunction.class), named(io.sluice.function.FleetFunction.class));
        Set<String> called = new HashSet<>();
        tasks().values().forEach(task -> {
            Matcher placeholder = FUNCTION_PLACEHOLDER.matcher(task.path("Parameters").path("FunctionName").asText());
            if (placeholder.matches()) {
                called.add(placeholder.group(1).replace('_', '-'));
            }
        });
        assertThat(called).containsExactlyInAnyOrder("validate", "migrate", "rollback", "canary-check", "fleet");
        assertThat(handlers).containsAll(called);
    }

    @Test
    void everyStateIsReachable_everyTargetExists_andEveryPathEnds() {
        Set<String> reached = reachableFrom(startAt);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(states.keySet());
        states.forEach((name, state) -> {
            String type = state.get("Type").asText();
            if (!type.equals("Succeed") && !type.equals("Fail") && !type.equals("Choice")) {
                assertThat(state.has("Next") || state.path("End").asBoolean()).as("%s continues or ends", name).isTrue();
            }
        });
        assertThat(states.entrySet()).filteredOn(state -> state.getValue().get("Type").asText().equals("Succeed"))
                .extracting(Map.Entry::getKey).as("deployed, or planned by a dry run that changed nothing")
                .containsExactlyInAnyOrder("Deployed", "Planned");
        assertThat(reachableFrom("Plan")).as("a dry run never reaches Migrate").doesNotContain("Migrate");
    }

    @Test
    void afterMigrateStarts_everyFailureGoesThroughTheRollback() {
        Set<String> afterMigrate = reachableFrom("Migrate");
        afterMigrate.removeAll(reachableFrom("CanaryOff"));
        // Once promoted the release stands: a lost success notification does not undo it.
        afterMigrate.removeAll(reachableFrom("NotifyDeployed"));
        for (String name : afterMigrate) {
            for (JsonNode katch : states.get(name).path("Catch")) {
                assertThat(reachableFrom(katch.get("Next").asText())).as("%s on failure", name).contains("Rollback");
            }
            if (states.get(name).get("Type").asText().equals("Fail")) {
                throw new AssertionError(name + " ends the execution after Migrate without the rollback");
            }
        }
        assertThat(reachableFrom("Rollback")).contains("RolledBack", "RollbackFailed").doesNotContain("Deployed", "Migrate");
        assertThat(reachableFrom("Preflight")).contains("NotDeployed");
    }

    @Test
    void migrate_loopsWhileInProgress_askingForThePreChangeSnapshotOnTheFirstCallOnly() {
        JsonNode choice = states.get(states.get("Migrate").get("Next").asText());
        assertThat(choice.get("Type").asText()).isEqualTo("Choice");
        assertThat(states.get("Migrate").at("/Parameters/Payload/rdsSnapshot.$").asText()).isEqualTo("$.rdsSnapshot");
        assertThat(choice.get("Choices")).anySatisfy(rule -> {
            assertThat(rule.get("StringEquals").asText()).isEqualTo("IN_PROGRESS");
            JsonNode again = states.get(rule.get("Next").asText());
            assertThat(again.get("Type").asText()).isEqualTo("Pass");
            assertThat(again.get("ResultPath").asText()).isEqualTo("$.rdsSnapshot");
            assertThat(again.get("Result").isNull()).isTrue();
            assertThat(again.get("Next").asText()).isEqualTo("Migrate");
        });
    }

    @Test
    void tasksWhoseResultsStayInTheState_keepOnlyWhatLaterStatesRead() {
        // The dry run's plan stays whole: a person reads it there, and the function bounds it.
        Set<String> whole = Set.of("Plan");
        assertThat(tasks()).allSatisfy((name, task) -> {
            if (task.has("ResultPath") && task.get("ResultPath").isNull()) {
                return;
            }
            assertThat(task.has("ResultSelector")).as("%s selects what it keeps", name).isTrue();
            boolean keepsPayload = task.get("ResultSelector").toString().contains("\"$.Payload\"");
            assertThat(keepsPayload).as("%s keeps the whole payload", name).isEqualTo(whole.contains(name));
        });
    }

    private static Map<String, JsonNode> tasks() {
        Map<String, JsonNode> tasks = new LinkedHashMap<>();
        states.forEach((name, state) -> {
            if (state.get("Type").asText().equals("Task")) {
                tasks.put(name, state);
            }
        });
        return tasks;
    }

    private static Set<String> reachableFrom(String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            JsonNode state = states.get(name);
            assertThat(state).as("state %s exists", name).isNotNull();
            if (!seen.add(name)) {
                continue;
            }
            if (state.has("Next")) {
                todo.push(state.get("Next").asText());
            }
            if (state.has("Default")) {
                todo.push(state.get("Default").asText());
            }
            state.path("Choices").forEach(rule -> todo.push(rule.get("Next").asText()));
            state.path("Catch").forEach(katch -> todo.push(katch.get("Next").asText()));
        }
        return seen;
    }

    private static boolean isTransientSluiceError(String type) {
        if (!type.startsWith("io.sluice.error.")) {
            return false;
        }
        Class<?> error = load(type);
        for (ErrorCode code : ErrorCode.values()) {
            if (code.isTransient() && error.getSimpleName().equals(toClassName(code))) {
                return true;
            }
        }
        return false;
    }

    /** {@code DATABASE_UNAVAILABLE} → {@code DatabaseUnavailable}: the class a code's errors have. */
    private static String toClassName(ErrorCode code) {
        StringBuilder name = new StringBuilder();
        for (String part : code.name().split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return name.toString();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the definition names " + name + ", which no class is");
        }
    }

    private static String named(Class<?> handler) {
        return handler.getAnnotation(Named.class).value();
    }
}
