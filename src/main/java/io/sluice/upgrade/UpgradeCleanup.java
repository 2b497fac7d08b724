package io.sluice.upgrade;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code delete} left behind.
 *
 * @param blueGreenDeploymentId    the deployment, now deleting
 * @param status                   RDS's status of it ({@code DELETING})
 * @param switchedOver             whether the switchover had completed
 * @param greenDeleted             before a switchover: green went with the deployment
 * @param oldInstance              after a switchover: the old instance, kept (renamed by RDS, e.g. {@code <name>-old1})
 * @param newInstance              after a switchover: the instance now serving under blue's name
 * @param oldInstanceDeletableAfter after a switchover: the date (UTC) from which the old instance may be deleted
 * @param moduleVariables          after a switchover: the Terraform variables to set now (the instance runs the new
 *                                 engine; a plan with the old ones proposes a downgrade), by name
 */
@RegisterForReflection
public record UpgradeCleanup(String blueGreenDeploymentId, String status, boolean switchedOver, boolean greenDeleted, String oldInstance,
        String newInstance, String oldInstanceDeletableAfter, java.util.Map<String, String> moduleVariables) {
}
