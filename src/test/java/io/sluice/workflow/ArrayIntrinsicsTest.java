package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The array intrinsics as the ASL specification defines them, through a Pass state's Parameters: the results, and the
 * runtime errors (which no Catcher takes) for arguments out of their domain.
 */
class ArrayIntrinsicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Execution pass(String parameters, String input) throws Exception {
        String definition = "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": " + parameters + ", \"End\": true}}}";
        TaskResources none = new TaskResources() {
            @Override
            public boolean serves(String resource) {
                return false;
            }

            @Override
            public JsonNode run(TaskCall call) {
                throw new IllegalStateException();
            }
        };
        return new WorkflowRunner(Definition.load(definition, none::serves), none, 0, WorkflowRunner.Listener.SILENT,
                "arn:aws:states:us-east-1:123456789012:stateMachine:t").run("x", JSON.readTree(input));
    }

    @Test
    void partitionGetItemLengthAndRange_giveWhatTheSpecificationSays() throws Exception {
        Execution execution = pass("""
                {"chunks.$": "States.ArrayPartition($.targets, 2)", "second.$": "States.ArrayGetItem($.targets, 1)",
                 "count.$": "States.ArrayLength($.targets)", "waves.$": "States.ArrayRange(0, 6, 3)",
                 "down.$": "States.ArrayRange(3, 1, -1)", "last.$": "States.ArrayGetItem($.targets, States.MathAdd(States.ArrayLength($.targets), -1))"}
                """, "{\"targets\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}");

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.output().toString()).isEqualTo("{\"chunks\":[[\"a\",\"b\"],[\"c\",\"d\"],[\"e\"]],\"second\":\"b\",\"count\":5,"
                + "\"waves\":[0,3,6],\"down\":[3,2,1],\"last\":\"e\"}");
    }

    @Test
    void argumentsOutOfTheirDomain_areRuntimeErrors() throws Exception {
        Execution outside = pass("{\"x.$\": \"States.ArrayGetItem($.targets, 5)\"}", "{\"targets\": [1, 2]}");
        Execution zeroChunk = pass("{\"x.$\": \"States.ArrayPartition($.targets, 0)\"}", "{\"targets\": [1, 2]}");
        Execution tooLong = pass("{\"x.$\": \"States.ArrayRange(1, 5000, 1)\"}", "{}");
        Execution zeroStep = pass("{\"x.$\": \"States.ArrayRange(1, 5, 0)\"}", "{}");
        Execution notArray = pass("{\"x.$\": \"States.ArrayLength($.targets)\"}", "{\"targets\": \"a\"}");

        assertThat(outside.cause()).isEqualTo("States.ArrayGetItem: index 5 is outside the array of 2 items");
        assertThat(zeroChunk.cause()).isEqualTo("States.ArrayPartition takes an array and a chunk size >= 1, not [[1,2],0]");
        assertThat(tooLong.cause()).isEqualTo("States.ArrayRange would give 5000 items; at most 1000");
        assertThat(zeroStep.cause()).isEqualTo("States.ArrayRange takes three integers, the step not 0, not [1,5,0]");
        assertThat(notArray.cause()).isEqualTo("States.ArrayLength takes one array, not [\"a\"]");
        for (Execution execution : new Execution[] {outside, zeroChunk, tooLong, zeroStep, notArray}) {
            assertThat(execution.error()).isEqualTo("States.Runtime");
        }
    }
}
