package io.sluice.event;

/** What every function's event has: the correlation id of the deployment it belongs to, and the database. */
public interface Request {

    DeploymentId deploymentId();

    DatabaseTarget database();

    /** Whether the command connects to {@link #database()}; false, its secret is checked but never read. */
    default boolean connects() {
        return true;
    }

    /** This event with its database replaced (a secret's resolved into a URL and credentials). */
    Request withDatabase(DatabaseTarget target);
}
