package io.sluice.function;

import org.jboss.logging.MDC;

import io.sluice.event.DeploymentId;

/**
 * Puts the invocation's correlation data into the logging context, so every log line of an invocation (Sluice's,
 * Flyway's, and the runtime's error report after a failure) carries them. Set anew at the start of each
 * invocation rather than cleared at its end: the runtime logs a failed invocation after the handler returned.
 */
final class LogContext {

    static final String DEPLOYMENT_ID = "deploymentId";
    static final String FUNCTION = "function";

    private LogContext() {
    }

    static void begin(String function) {
        MDC.clear();
        MDC.put(FUNCTION, function);
    }

    static void deployment(DeploymentId id) {
        if (id != null) {
            MDC.put(DEPLOYMENT_ID, id.value());
        }
    }
}
