package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One step of a rollback dry run's proof, run in a scratch database: the undo script of a version, and whether it
 * ran. The last entry checks the schema reached against the target's.
 *
 * @param version    the version undone, or the target version for the final check
 * @param undoScript the undo script run, or null for the final check
 * @param ok         whether the step worked
 * @param message    what happened
 * @param durationMs how long it took
 */
@RegisterForReflection
public record UndoProof(String version, String undoScript, boolean ok, String message, long durationMs) {
}
