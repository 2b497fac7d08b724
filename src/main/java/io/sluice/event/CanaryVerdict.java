package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a canary check concludes about the current stage. */
@RegisterForReflection
public enum CanaryVerdict {
    /** Every signal within its limits: go on to the next stage. */
    HEALTHY,
    /** A signal near its limit: hold this stage and check again. */
    DEGRADED,
    /** A signal over its limit: roll back. */
    FAILED
}
