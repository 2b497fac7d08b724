package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a {@code migrate} invocation ended. */
@RegisterForReflection
public enum MigrateStatus {
    /** At least one script was applied. */
    MIGRATED,
    /** Nothing was pending up to the target: the invocation changed nothing. */
    UP_TO_DATE,
    /** A dry run: the plan is in the result and nothing was changed. */
    PLANNED,
    /**
     * Stopped between two scripts before the target (time budget or SIGTERM): what was applied stays applied, the
     * next invocation with the same event goes on from there.
     */
    IN_PROGRESS
}
