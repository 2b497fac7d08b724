package io.sluice.function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the functions' notifications go (an SNS topic, deployed): drift found by a drift check, and a rollback
 * performed. The pipeline's own states publish its messages (approval requested, deployed, rolled back, not
 * deployed) in the same format: an object with {@code type} and {@code deploymentId} first.
 */
public interface Notifications {

    /** Publishes {@code message}; a failure to publish is the adapter's to log, never the invocation's failure. */
    void publish(ObjectNode message);

    /** No topic configured: nothing is sent. */
    Notifications NONE = message -> {
    };
}
