package io.sluice.command;

import io.sluice.error.InvalidRequest;

/** A snapshot of the database instance taken before a migrate changes anything ({@code rdsSnapshot} in the event). */
public interface PreChangeSnapshots {

    /**
     * Starts a snapshot of {@code instance}; the storage snapshot is of the moment it starts, so the migration need not
     * wait for it to complete.
     *
     * @return the snapshot's identifier
     */
    String create(String instance, String deploymentId, String version);

    /** Without RDS access: an event asking for a snapshot is refused before anything changes. */
    PreChangeSnapshots NONE = (instance, deploymentId, version) -> {
        throw new InvalidRequest("field 'rdsSnapshot': this function has no RDS access configured (sluice.aws.*); nothing was"
                + " migrated");
    };
}
