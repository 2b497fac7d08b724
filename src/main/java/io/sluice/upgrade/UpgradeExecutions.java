package io.sluice.upgrade;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An upgrade execution as Step Functions describes it and the approvals ledger records it: what the switchover reads
 * to trust that the upgrade was approved.
 */
public interface UpgradeExecutions {

    /**
     * @param stateMachineArn the state machine the execution belongs to
     * @param status          {@code RUNNING}, {@code SUCCEEDED}, ...
     * @param input           its input, as started
     * @param decision        the ledger's decision on it ({@code approved}, {@code rejected}), if any
     * @param approvers       who approved it
     */
    record UpgradeExecution(String stateMachineArn, String status, JsonNode input, Optional<String> decision, List<String> approvers) {

        public UpgradeExecution {
            approvers = List.copyOf(approvers);
        }
    }

    /** The execution, or empty when Step Functions has none of that ARN. */
    Optional<UpgradeExecution> find(String executionArn);

    /** Without AWS access: no execution is known, so no switchover is approved. */
    UpgradeExecutions NONE = executionArn -> Optional.empty();
}
