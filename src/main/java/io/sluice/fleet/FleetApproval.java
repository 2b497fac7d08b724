package io.sluice.fleet;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A fleet's approval, found to hold for one database's pipeline: the result of the fleet function's {@code approval}
 * mode, which the pipeline keeps as its approval.
 *
 * @param fleetExecution the fleet execution whose approval it is
 * @param approvers      who approved the fleet
 */
@RegisterForReflection
public record FleetApproval(String fleetExecution, List<String> approvers) {

    public FleetApproval {
        approvers = List.copyOf(approvers);
    }
}
