package io.sluice.workflow;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code states:startExecution.sync:2} bound to running a named definition in-process: the child execution runs to its
 * end on this thread with the resources the binding was given, and the task's result is what Step Functions returns
 * for {@code .sync:2} ({@code ExecutionArn}, {@code Name}, {@code Status}, {@code Input} and {@code Output} as JSON,
 * {@code StartDate}, {@code StopDate}). A child that fails or times out fails the task with {@code States.TaskFailed},
 * its cause the child's description as a JSON string (its {@code Error} and {@code Cause}), as the integration does.
 * Each execution name runs once per state machine, as in Step Functions.
 */
public final class LocalExecutions implements TaskResources {

    public static final String START_EXECUTION_SYNC = "arn:aws:states:::states:startExecution.sync:2";

    private final Map<String, Definition> machines;
    private final Supplier<TaskResources> resources;
    private final double waitScale;
    private final Map<String, Boolean> started = new ConcurrentHashMap<>();

    /**
     * @param machines  the definitions by state machine ARN
     * @param resources the bindings the child executions run with (read when a child starts, so that they may include
     *                  this binding: a child may start children)
     * @param waitScale what the children's Wait states and retry intervals are multiplied by, as their parent's
     */
    public LocalExecutions(Map<String, Definition> machines, Supplier<TaskResources> resources, double waitScale) {
        this.machines = Map.copyOf(machines);
        this.resources = resources;
        this.waitScale = waitScale;
    }

    @Override
    public boolean serves(String resource) {
        return START_EXECUTION_SYNC.equals(resource);
    }

    @Override
    public JsonNode run(TaskCall call) {
        String arn = call.parameters().path("StateMachineArn").asText();
        Definition definition = machines.get(arn);
        if (definition == null) {
            throw new StatesError("StepFunctions.StateMachineDoesNotExistException", "State Machine Does Not Exist: '" + arn + "'");
        }
        JsonNode input = call.parameters().path("Input");
        if (input.isTextual()) {
            try {
                input = Paths.JSON.readTree(input.asText());
            } catch (IOException e) {
                throw new StatesError("StepFunctions.InvalidExecutionInputException", "Invalid State Machine Execution Input: not JSON");
            }
        }
        if (input.isMissingNode() || input.isNull()) {
            input = Paths.JSON.createObjectNode();
        }
        String name = call.parameters().path("Name").asText(UUID.randomUUID().toString());
        if (started.putIfAbsent(arn + "/" + name, Boolean.TRUE) != null) {
            throw new StatesError("StepFunctions.ExecutionAlreadyExistsException", "Execution Already Exists: '" + name + "'");
        }
        Instant start = Instant.now();
        Execution execution = new WorkflowRunner(definition, resources.get(), waitScale, WorkflowRunner.Listener.SILENT, arn).run(name, input);
        ObjectNode description = Paths.JSON.createObjectNode();
        description.put("ExecutionArn", arn.replace(":stateMachine:", ":execution:") + ":" + name);
        description.put("StateMachineArn", arn);
        description.put("Name", name);
        description.put("Status", execution.status().name());
        description.set("Input", input);
        description.put("StartDate", start.toString());
        description.put("StopDate", Instant.now().toString());
        if (execution.status() == Execution.Status.SUCCEEDED) {
            description.set("Output", Paths.orNull(execution.output()));
            return description;
        }
        description.put("Error", execution.error());
        description.put("Cause", execution.cause());
        throw new StatesError(StatesError.TASK_FAILED, description.toString());
    }
}
