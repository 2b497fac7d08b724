package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code approve}.
 *
 * @param deploymentId the event's correlation id
 * @param execution    the execution voted on
 * @param status       {@code PENDING} (more approvals needed), {@code APPROVED} (the execution was sent
 *                     SendTaskSuccess) or {@code REJECTED} (SendTaskFailure)
 * @param approvals    approvals recorded so far
 * @param required     approvals the change needs (read from the execution's approval state)
 * @param approvers    who approved, in order
 */
@RegisterForReflection
public record ApproveReport(DeploymentId deploymentId, String execution, String status, int approvals, int required, List<String> approvers) {

    public ApproveReport {
        approvers = List.copyOf(approvers);
    }
}
