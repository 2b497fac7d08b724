package io.sluice.event;

/**
 * A request whose command may build scratch databases (proofs, lock probes, rebuilt versions, the compatibility
 * proof). {@code scratch} names the PostgreSQL server they are built on, of the live database's major version, e.g. a
 * small instance of its own, so that a long proof does not load production; absent, the deployment's configured one
 * ({@code sluice.scratch.secret-arn}), else the live database's server, as before there was a choice.
 */
public interface WithScratch extends Request {

    /** The scratch server the event names; null when it names none. */
    DatabaseTarget scratch();

    /** The same request with its scratch server resolved (a secret read, the configured default filled in). */
    WithScratch withScratch(DatabaseTarget replacement);

    /** Where scratch databases are built: the scratch server, or the live database's server. */
    default DatabaseTarget scratchServer() {
        return scratch() != null ? scratch() : database();
    }
}
