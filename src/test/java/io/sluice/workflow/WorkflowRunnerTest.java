package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runner's semantics on small definitions, each outcome as the ASL specification defines it: input and output
 * processing, intrinsics, Choice rules, Retry (backoff, caps, which errors), Catch, timeouts, and what is refused at
 * load time.
 */
class WorkflowRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "arn:aws:states:::lambda:invoke";

    /** A resource answering from a script: each call takes the next answer (a JSON result, or an error to raise). */
    private static final class Scripted implements TaskResources {

        final Deque<Function<TaskCall, JsonNode>> answers = new ArrayDeque<>();
        final List<TaskCall> calls = new ArrayList<>();

        Scripted returns(String json) {
            answers.add(call -> read(json));
            return this;
        }

        Scripted raises(String error, String cause) {
            answers.add(call -> {
                throw new StatesError(error, cause);
            });
            return this;
        }

        Scripted sleeps(long millis) {
            answers.add(call -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return read("{}");
            });
            return this;
        }

        @Override
        public boolean serves(String resource) {
            return resource.equals(TASK);
        }

        @Override
        public synchronized JsonNode run(TaskCall call) {
            calls.add(call);
            return answers.removeFirst().apply(call);
        }
    }

    /** Remembers the retry delays the runner chose. */
    private static final class Delays implements WorkflowRunner.Listener {

        final List<Long> millis = new ArrayList<>();

        @Override
        public void entered(String state, String type) {
        }

        @Override
        public void retrying(String state, StatesError error, Duration delay, int attempt) {
            millis.add(delay.toMillis());
        }

        @Override
        public void left(Execution.Visit visit) {
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** JSON written with single quotes for readability: each ' outside a "..." string becomes ". */
    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString && c == '\\') {
                out.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            out.append(!inString && c == '\'' ? '"' : c);
        }
        return out.toString();
    }

    private static Execution run(String definition, TaskResources resources, String input) {
        return run(definition, resources, input, WorkflowRunner.Listener.SILENT);
    }

    private static Execution run(String definition, TaskResources resources, String input, WorkflowRunner.Listener listener) {
        Definition loaded = Definition.load(json(definition), resources::serves);
        return new WorkflowRunner(loaded, resources, 0, listener, "arn:aws:states:us-east-1:123456789012:stateMachine:test")
                .run("run-1", read(input));
    }

    @Test
    void inputAndOutputProcessing_followTheSpecification() {
        Scripted resources = new Scripted().returns("{'Payload': {'status': 'DONE', 'noise': 1}, 'StatusCode': 200}".replace('\'', '"'));
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'InputPath': '$.request',
                           'Parameters': {'id.$': '$.id', 'fixed': 7, 'nested': {'name.$': '$$.Execution.Name'},
                                          'label.$': "States.Format('v{} of {}', $.id, $.who)",
                                          'text.$': 'States.JsonToString($.tags)', 'list.$': 'States.Array($.id, 2)',
                                          'back.$': 'States.StringToJson(States.JsonToString($.tags))'},
                           'ResultSelector': {'status.$': '$.Payload.status'},
                           'ResultPath': '$.results.call', 'OutputPath': '$.results', 'Next': 'Keep'},
                  'Keep': {'Type': 'Pass', 'Result': {'x': 1}, 'ResultPath': null, 'Next': 'Done'},
                  'Done': {'Type': 'Succeed'}}}
                """, resources, "{\"request\": {\"id\": 3, \"who\": \"ops\", \"tags\": [\"a\"]}, \"other\": true}");

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(resources.calls.get(0).parameters()).isEqualTo(read("""
                {"id": 3, "fixed": 7, "nested": {"name": "run-1"}, "label": "v3 of ops", "text": "[\\"a\\"]", "list": [3, 2],
                 "back": ["a"]}"""));
        assertThat(execution.output()).as("ResultPath onto the raw input, then OutputPath; the Pass's ResultPath null keeps it")
                .isEqualTo(read("{\"call\": {\"status\": \"DONE\"}}"));
        assertThat(execution.path()).containsExactly("Call", "Keep", "Done");
    }

    @Test
    void retry_backsOffByItsRate_capsAtMaxDelay_andGivesUpAfterMaxAttempts_thenTheCatcherTakesTheError() {
        Scripted resources = new Scripted().raises("Busy", "1").raises("Busy", "2").raises("Busy", "3").raises("Busy", "4");
        Delays delays = new Delays();
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke',
                           'Retry': [{'ErrorEquals': ['Other'], 'MaxAttempts': 5},
                                     {'ErrorEquals': ['Busy'], 'IntervalSeconds': 2, 'BackoffRate': 3.0, 'MaxAttempts': 3,
                                      'MaxDelaySeconds': 10}],
                           'Catch': [{'ErrorEquals': ['States.ALL'], 'ResultPath': '$.error', 'Next': 'Failed'}], 'Next': 'Done'},
                  'Failed': {'Type': 'Fail', 'Error': 'Gave up', 'Cause': 'after retries'},
                  'Done': {'Type': 'Succeed'}}}
                """, resources, "{}", delays);

        assertThat(resources.calls).hasSize(4);
        assertThat(delays.millis).as("2 s, 6 s, then 18 s capped at 10 s").containsExactly(2_000L, 6_000L, 10_000L);
        assertThat(execution.visits().get(0).outcome()).isEqualTo("caught Busy -> Failed");
        assertThat(execution.visits().get(0).calls()).extracting(Execution.Attempt::cause).containsExactly("1", "2", "3", "4");
        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo("Gave up");
        assertThat(execution.path()).containsExactly("Call", "Failed");
    }

    @Test
    void catcherResultPath_putsErrorAndCauseBesideTheInput() {
        Scripted resources = new Scripted().raises("io.sluice.error.MigrationFailed", "{\"errorMessage\":\"V4 failed\"}");
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke',
                           'Retry': [{'ErrorEquals': ['io.sluice.error.DatabaseUnavailable']}],
                           'Catch': [{'ErrorEquals': ['io.sluice.error.ValidationFailed'], 'Next': 'Other'},
                                     {'ErrorEquals': ['States.TaskFailed'], 'ResultPath': '$.error', 'Next': 'Handled'}],
                           'Next': 'Other'},
                  'Other': {'Type': 'Fail'},
                  'Handled': {'Type': 'Succeed'}}}
                """, resources, "{\"keep\": 1}");

        assertThat(resources.calls).as("not retried: no Retrier names it").hasSize(1);
        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(read("""
                {"keep": 1, "error": {"Error": "io.sluice.error.MigrationFailed", "Cause": "{\\"errorMessage\\":\\"V4 failed\\"}"}}"""));
    }

    @Test
    void taskTimeout_raisesStatesTimeout_whichTaskFailedDoesNotMatch() {
        Scripted resources = new Scripted().sleeps(3_000);
        long started = System.nanoTime();
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'TimeoutSeconds': 1,
                           'Retry': [{'ErrorEquals': ['States.TaskFailed']}],
                           'Catch': [{'ErrorEquals': ['States.TaskFailed'], 'Next': 'Wrong'},
                                     {'ErrorEquals': ['States.Timeout'], 'ResultPath': '$.error', 'Next': 'TimedOut'}],
                           'Next': 'Wrong'},
                  'Wrong': {'Type': 'Fail'},
                  'TimedOut': {'Type': 'Succeed', 'OutputPath': '$.error.Error'}}}
                """, resources, "{}");

        assertThat(resources.calls).hasSize(1);
        assertThat(execution.output().asText()).isEqualTo("States.Timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the runner waits for the interrupted task").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void choiceRules_compareByType_combine_andFallBackToDefault() {
        String definition = """
                {'StartAt': 'Route', 'States': {
                  'Route': {'Type': 'Choice', 'Choices': [
                      {'And': [{'Variable': '$.flag', 'IsPresent': true}, {'Variable': '$.flag', 'BooleanEquals': true}], 'Next': 'Flagged'},
                      {'Variable': '$.n', 'NumericGreaterThanPath': '$.limit', 'Next': 'Over'},
                      {'Not': {'Variable': '$.name', 'StringMatches': 'release-*'}, 'Next': 'Odd'},
                      {'Variable': '$.n', 'StringEquals': '5', 'Next': 'Wrong'}],
                    'Default': 'Plain'},
                  'Flagged': {'Type': 'Succeed'}, 'Over': {'Type': 'Succeed'}, 'Odd': {'Type': 'Succeed'},
                  'Wrong': {'Type': 'Succeed'}, 'Plain': {'Type': 'Succeed'}}}
                """;
        assertThat(run(definition, new Scripted(), "{\"flag\": true, \"n\": 1, \"limit\": 2, \"name\": \"x\"}").path()).endsWith("Flagged");
        assertThat(run(definition, new Scripted(), "{\"n\": 3, \"limit\": 2, \"name\": \"x\"}").path()).endsWith("Over");
        assertThat(run(definition, new Scripted(), "{\"n\": 1, \"limit\": 2, \"name\": \"hotfix-1\"}").path()).endsWith("Odd");
        assertThat(run(definition, new Scripted(), "{\"flag\": false, \"n\": 5, \"limit\": 9, \"name\": \"release-1\"}").path())
                .as("5 is a number: StringEquals '5' is false").endsWith("Plain");
    }

    @Test
    void aPathThatMatchesNothing_failsTheExecution_withStatesRuntime_whichNoCatcherTakes() {
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'Parameters': {'x.$': '$.missing'},
                           'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Caught'}], 'Next': 'Caught'},
                  'Caught': {'Type': 'Succeed'}}}
                """, new Scripted(), "{\"present\": 1}");

        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo(StatesError.RUNTIME);
        assertThat(execution.cause()).isEqualTo("the JSONPath '$.missing' could not be found in the input '{\"present\":1}'");
    }

    /** A JSON object holding one string of {@code bytes} characters: about that many bytes serialised. */
    private static String payloadOf(int bytes) {
        return "{\"blob\": \"" + "x".repeat(bytes) + "\"}";
    }

    @Test
    void aTaskResultOverTheQuota_failsTheExecution_withDataLimitExceeded_whichStatesAllDoesNotCatch() {
        Scripted resources = new Scripted().returns(payloadOf(WorkflowRunner.MAX_PAYLOAD_BYTES));
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'ResultSelector': {'small': 1},
                           'Retry': [{'ErrorEquals': ['States.ALL']}],
                           'Catch': [{'ErrorEquals': ['States.TaskFailed'], 'Next': 'Caught'}, {'ErrorEquals': ['States.ALL'], 'Next': 'Caught'}],
                           'Next': 'Caught'},
                  'Caught': {'Type': 'Succeed'}}}
                """, resources, "{}");

        assertThat(resources.calls).as("never retried").hasSize(1);
        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo(StatesError.DATA_LIMIT_EXCEEDED);
        assertThat(execution.cause()).isEqualTo("The state/task 'arn:aws:states:::lambda:invoke' returned a result of 262155 bytes,"
                + " exceeding the maximum number of bytes service limit (262144)");
        assertThat(execution.path()).containsExactly("Call");
    }

    @Test
    void dataLimitExceeded_isCaughtOnlyByACatcherThatNamesIt() {
        Scripted resources = new Scripted().returns(payloadOf(WorkflowRunner.MAX_PAYLOAD_BYTES));
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke',
                           'Catch': [{'ErrorEquals': ['States.DataLimitExceeded'], 'ResultPath': '$.error', 'Next': 'TooLarge'}],
                           'Next': 'Wrong'},
                  'Wrong': {'Type': 'Fail'},
                  'TooLarge': {'Type': 'Succeed', 'OutputPath': '$.error.Error'}}}
                """, resources, "{}");

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.output().asText()).isEqualTo(StatesError.DATA_LIMIT_EXCEEDED);
    }

    @Test
    void aStateOutputOverTheQuota_failsTheExecution_evenWhenEachResultFits() {
        int half = WorkflowRunner.MAX_PAYLOAD_BYTES / 2 + 10;
        Scripted resources = new Scripted().returns(payloadOf(half)).returns(payloadOf(half));
        Execution execution = run("""
                {'StartAt': 'First', 'States': {
                  'First': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'ResultPath': '$.first', 'Next': 'Second'},
                  'Second': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke', 'ResultPath': '$.second',
                             'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Caught'}], 'Next': 'Caught'},
                  'Caught': {'Type': 'Succeed'}}}
                """, resources, "{}");

        assertThat(execution.status()).isEqualTo(Execution.Status.FAILED);
        assertThat(execution.error()).isEqualTo(StatesError.DATA_LIMIT_EXCEEDED);
        assertThat(execution.cause()).startsWith("The state 'Second' has an output of 262206 bytes");
        assertThat(execution.path()).containsExactly("First", "Second");
    }

    @Test
    void parametersOverTheQuota_failTheStateBeforeItsTaskRuns() {
        Scripted resources = new Scripted();
        Execution execution = run("""
                {'StartAt': 'Call', 'States': {
                  'Call': {'Type': 'Task', 'Resource': 'arn:aws:states:::lambda:invoke',
                           'Parameters': {'a.$': '$.blob', 'b.$': '$.blob'}, 'Next': 'Done'},
                  'Done': {'Type': 'Succeed'}}}
                """, resources, payloadOf(WorkflowRunner.MAX_PAYLOAD_BYTES / 2 + 10));

        assertThat(resources.calls).isEmpty();
        assertThat(execution.error()).isEqualTo(StatesError.DATA_LIMIT_EXCEEDED);
        assertThat(execution.cause()).startsWith("The state 'Call' has an input of 262179 bytes");
    }

    @Test
    void anInputOverTheQuota_isRefusedBeforeTheExecutionStarts() {
        assertThatThrownBy(() -> run("{'StartAt': 'Done', 'States': {'Done': {'Type': 'Succeed'}}}", new Scripted(),
                payloadOf(WorkflowRunner.MAX_PAYLOAD_BYTES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the execution's input is 262155 bytes; Step Functions refuses an input over 262144");
    }

    @Test
    void jsonMerge_laysTheSecondObjectsFieldsOverTheFirsts_shallowly() {
        Execution execution = run("""
                {'StartAt': 'Defaults', 'States': {
                  'Defaults': {'Type': 'Pass', 'Parameters': {'merged.$': "States.JsonMerge($.defaults, $.given, false)"}, 'End': true}}}
                """, new Scripted(), "{\"defaults\": {\"a\": 1, \"b\": {\"x\": 1}, \"c\": null}, \"given\": {\"b\": {\"y\": 2}, \"c\": 3}}");

        assertThat(execution.output()).isEqualTo(read("{\"merged\": {\"a\": 1, \"b\": {\"y\": 2}, \"c\": 3}}"));
    }

    @Test
    void waitSecondsPath_mustHoldWholeSeconds() {
        Execution execution = run("""
                {'StartAt': 'Hold', 'States': {'Hold': {'Type': 'Wait', 'SecondsPath': '$.s', 'Next': 'Done'}, 'Done': {'Type': 'Succeed'}}}
                """, new Scripted(), "{\"s\": \"soon\"}");

        assertThat(execution.error()).isEqualTo(StatesError.RUNTIME);
        assertThat(execution.cause()).isEqualTo("SecondsPath $.s holds \"soon\", not a whole number of seconds >= 0");
    }

    @Test
    void whatTheRunnerDoesNotImplement_isRefusedAtLoad_namingTheState() {
        assertRefused("{'StartAt': 'Fan', 'States': {'Fan': {'Type': 'Parallel', 'End': true}}}",
                "state 'Fan': Type Parallel is not one the local runner implements (Task, Pass, Choice, Wait, Succeed, Fail, Map)");
        assertRefused("{'StartAt': 'Fan', 'States': {'Fan': {'Type': 'Map', 'End': true}}}",
                "state 'Fan': a Map needs an ItemProcessor object");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Parameters': {'h.$': \"States.Hash($.x, 'SHA-1')\"}, 'End': true}}}",
                "state 'A': field h.$: States.Hash is not one of the intrinsic functions the local runner implements");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': 'arn:aws:states:::glue:startJobRun', 'End': true}}}",
                "state 'A': Resource arn:aws:states:::glue:startJobRun is not bound in this runner");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': '" + TASK + "', 'HeartbeatSeconds': 5, 'End': true}}}",
                "state 'A': field HeartbeatSeconds is not one the local runner implements for a Task state");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Task', 'Resource': '" + TASK + "', 'Catch': [{'ErrorEquals': ['States.ALL'], "
                + "'Next': 'A'}, {'ErrorEquals': ['X'], 'Next': 'A'}], 'End': true}}}",
                "state 'A': States.ALL must be alone in its ErrorEquals and in the last Retrier or Catcher");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'Next': 'B'}}}", "state 'A': goes to 'B', which is not a state");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Pass', 'ResultPath': '$.a[*]', 'End': true}}}",
                "state 'A': ResultPath '$.a[*]' is not a Reference Path");
        assertRefused("{'StartAt': 'A', 'States': {'A': {'Type': 'Choice', 'Choices': [{'Variable': '$.a', 'StringLike': 'x', 'Next': 'A'}]}}}",
                "state 'A': Choice rule on $.a has no operator the local runner implements (Variable, StringLike, Next)");
    }

    private static void assertRefused(String definition, String message) {
        assertThatThrownBy(() -> Definition.load(json(definition), new Scripted()::serves))
                .isInstanceOf(DefinitionRefused.class).hasMessageStartingWith(message);
    }

    @Test
    void template_rendersLikeTemplatefile_andNamesEveryMissingValue() {
        assertThat(Template.render("{\"a\": \"${x}\", \"b\": \"$${y}\"}", java.util.Map.of("x", "1"))).isEqualTo("{\"a\": \"1\", \"b\": \"${y}\"}");
        assertThatThrownBy(() -> Template.render("${b} ${a} ${a}", java.util.Map.of())).isInstanceOf(DefinitionRefused.class)
                .hasMessage("the template needs values for a, b");
    }
}
