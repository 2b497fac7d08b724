package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a {@code rollback} invocation ended. */
@RegisterForReflection
public enum RollbackStatus {
    /** Versions were undone and the schema equals the target version's snapshot. */
    ROLLED_BACK,
    /** The database is already at (or below) the target version: nothing changed. */
    NOTHING_TO_UNDO,
    /** A dry run: the plan is in the result and nothing was changed. */
    PLANNED,
    /** The {@code snapshot} strategy: the restore to a new instance is under way; the workflow asks again later. */
    RESTORING,
    /** The {@code snapshot} strategy: the new instance is available; the result names its endpoint. */
    RESTORED
}
