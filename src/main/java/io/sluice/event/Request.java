package io.sluice.event;

/** What every function's event has: the correlation id of the deployment it belongs to. */
public interface Request {

    DeploymentId deploymentId();
}
