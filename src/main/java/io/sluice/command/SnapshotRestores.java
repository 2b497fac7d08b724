package io.sluice.command;

import java.util.Optional;

import io.sluice.error.InvalidRequest;
import io.sluice.event.RdsRestore;

/** Restores an RDS instance's pre-change snapshot to a new instance (the {@code snapshot} rollback strategy). */
public interface SnapshotRestores {

    /**
     * The snapshot a rollback would restore: {@code snapshot} when named, else the newest manual snapshot of
     * {@code instance} that Sluice took for {@code deploymentId}.
     *
     * @return the restore as planned: status {@code PLANNED}, no endpoint yet
     */
    RdsRestore plan(String instance, String snapshot, String deploymentId, String newInstance);

    /**
     * The restore {@code plan} names, when it was started already: its new instance exists and was restored from
     * {@code plan}'s snapshot (which makes a repeated rollback a status read). An instance of that name restored from
     * anything else is refused.
     *
     * @return the instance's status and endpoint as RDS reports them now; empty when there is no such instance
     */
    Optional<RdsRestore> existing(RdsRestore plan);

    /**
     * Starts restoring {@code plan}'s snapshot to its new instance, with the source instance's class, subnet group,
     * security groups, parameter group and Multi-AZ setting, not publicly accessible; the source is left as it is.
     *
     * @return the restore as started: the new instance's status as RDS reports it ({@code creating})
     */
    RdsRestore start(RdsRestore plan, String deploymentId);

    /** Without RDS access: a snapshot rollback is refused before anything changes. */
    SnapshotRestores NONE = new SnapshotRestores() {
        @Override
        public RdsRestore plan(String instance, String snapshot, String deploymentId, String newInstance) {
            throw new InvalidRequest("field 'strategy': snapshot needs RDS access, and this function has none configured"
                    + " (sluice.aws.*); nothing was changed");
        }

        @Override
        public Optional<RdsRestore> existing(RdsRestore plan) {
            return Optional.of(plan(plan.sourceInstance(), plan.snapshot(), null, plan.instance()));
        }

        @Override
        public RdsRestore start(RdsRestore plan, String deploymentId) {
            return plan(plan.sourceInstance(), plan.snapshot(), deploymentId, plan.instance());
        }
    };
}
