package io.sluice.isolation;

import io.sluice.event.DatabaseTarget;

/**
 * How scratch work (proofs, lock probes, rebuilt versions, plans, schema builds: what runs scripts and queries nobody
 * approved yet) is kept away from the live database and its credentials. The deployment chooses one
 * ({@code sluice.scratch.isolation}); there is no fallback to the live server.
 */
public interface Isolation {

    /**
     * The server scratch databases are made on for work against {@code live}.
     *
     * @param live    the live database (its credentials are used for Sluice's own reads only: its major version, its role
     *                names; and, for the scratch role, to make that role)
     * @param scratch the scratch server the request names (an event's {@code scratch}, or the deployment's scratch secret,
     *                resolved); null when none
     * @throws io.sluice.error.NotIsolated when this isolation cannot give one
     */
    ScratchServer server(DatabaseTarget live, DatabaseTarget scratch);

    /** Opens sessions the way the deployment does (TLS, timeouts), for an isolation that needs the network. */
    @FunctionalInterface
    interface Opener {
        java.sql.Connection open(DatabaseTarget target);
    }
}
