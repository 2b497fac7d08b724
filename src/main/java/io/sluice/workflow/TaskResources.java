package io.sluice.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a Task state's {@code Resource} does. Step Functions calls AWS; the local runner calls in-process handlers
 * and local stand-ins. A binding says which resources it serves, so a definition naming any other one is refused
 * at load time.
 */
public interface TaskResources {

    /** Whether this binding serves {@code resource} (an ARN, e.g. {@code arn:aws:states:::lambda:invoke}). */
    boolean serves(String resource);

    /**
     * Runs the task and returns its result, or throws {@link StatesError} with the error the integration raises.
     *
     * @param call what to run: the resource, its effective parameters, the task token for
     *             {@code .waitForTaskToken} resources, and how long it may take
     */
    JsonNode run(TaskCall call);

    /** This binding and {@code other}: each resource is run by the first that serves it. */
    default TaskResources and(TaskResources other) {
        TaskResources first = this;
        return new TaskResources() {
            @Override
            public boolean serves(String resource) {
                return first.serves(resource) || other.serves(resource);
            }

            @Override
            public JsonNode run(TaskCall call) {
                return first.serves(call.resource()) ? first.run(call) : other.run(call);
            }
        };
    }

    /** One call of a Task state's resource. */
    record TaskCall(String state, String resource, JsonNode parameters, String taskToken, long timeoutSeconds) {
    }
}
