package io.sluice.fleet;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A fleet execution as Step Functions describes it and the approvals ledger records it: what a database's pipeline
 * reads to trust that its fleet was approved.
 */
public interface FleetExecutions {

    /**
     * @param stateMachineArn the state machine the execution belongs to
     * @param status          {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, ...
     * @param input           the execution's input, as started
     * @param decision        the ledger's decision on it ({@code approved}, {@code rejected}), if any
     * @param approvers       who approved it, in order
     */
    record FleetExecution(String stateMachineArn, String status, JsonNode input, Optional<String> decision, List<String> approvers) {

        public FleetExecution {
            approvers = List.copyOf(approvers);
        }
    }

    /** The execution, or empty when Step Functions has none of that ARN. */
    Optional<FleetExecution> find(String executionArn);

    /** Without AWS access: no fleet execution is known, so no fleet approval holds. */
    FleetExecutions NONE = executionArn -> Optional.empty();
}
