package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code start}.
 *
 * @param deploymentId the release
 * @param execution    the execution started: what the deploy workflow follows and approvers answer
 * @param startedBy    who started it, as the function URL authenticated them: never its approver
 */
@RegisterForReflection
public record StartReport(DeploymentId deploymentId, String execution, String startedBy) {
}
