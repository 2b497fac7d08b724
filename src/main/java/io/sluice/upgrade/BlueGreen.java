package io.sluice.upgrade;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One RDS Blue/Green deployment, as the upgrade workflow follows it.
 *
 * @param id             RDS's identifier ({@code bgd-...})
 * @param name           the name Sluice gave it ({@code sluice-<deploymentId>})
 * @param status         RDS's status: {@code PROVISIONING}, {@code AVAILABLE}, {@code SWITCHOVER_IN_PROGRESS},
 *                       {@code SWITCHOVER_COMPLETED}, {@code INVALID_CONFIGURATION}, {@code SWITCHOVER_FAILED},
 *                       {@code DELETING}
 * @param blueInstance   the source instance's identifier (after a switchover, the old instance: {@code <name>-old1})
 * @param greenInstance  the target instance's identifier (after a switchover, it carries the source's name)
 * @param greenEndpoint  the target's {@code host:port}; null until RDS gives it one
 * @param statusDetails  RDS's words on the status, if any
 * @param createTime     when RDS created it (ISO-8601): a change of the master password after it has not reached green
 */
@RegisterForReflection
public record BlueGreen(String id, String name, String status, String blueInstance, String greenInstance, String greenEndpoint,
        String statusDetails, String createTime) {

    /** Green is built and in sync: it may be checked, then switched over. */
    public boolean available() {
        return "AVAILABLE".equals(status);
    }

    /** A status that no wait leads out of. */
    public boolean failed() {
        return "INVALID_CONFIGURATION".equals(status) || "SWITCHOVER_FAILED".equals(status);
    }
}
