package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One version a rollback undoes, in the order it undoes them (newest first).
 *
 * @param version       the version to undo
 * @param script        the versioned script that applied it, as the history records it
 * @param undoScript    the undo script that reverses it; null when there is none (the rollback cannot run)
 * @param transactional whether the undo script runs in a transaction
 */
@RegisterForReflection
public record UndoStep(String version, String script, String undoScript, boolean transactional) {
}
