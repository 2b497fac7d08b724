package io.sluice.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who answers an approval request the pipeline sends with a task token. Deployed, an approver's vote reaches Step
 * Functions through SendTaskSuccess or SendTaskFailure; locally, an implementation answers at once.
 */
public interface Approvals {

    /**
     * Answers the request: returns the output SendTaskSuccess would carry, or throws {@link StatesError} as
     * SendTaskFailure (a rejection) or the task's timeout (too few approvals) would end the task.
     *
     * @param request        the message the pipeline published (deploymentId, changeClass, approvalsRequired, taskToken)
     * @param timeoutSeconds how long the pipeline waits for the answer
     */
    JsonNode answer(JsonNode request, long timeoutSeconds);
}
