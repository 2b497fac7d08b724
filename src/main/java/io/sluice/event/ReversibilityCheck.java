package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What {@code proveReversible} found for one pending script, in a scratch database: apply it, run its undo script
 * (the schema must equal the one before), apply it again (the schema must equal the one after).
 *
 * @param script      the pending versioned script
 * @param undoScript  its undo script, or null
 * @param reversible  true when all three steps held; false when one broke; null when not checked (an earlier
 *                    script could not even be applied, so no later state can be built)
 * @param failedStep  {@code apply}, {@code undo} or {@code reapply}; null when none failed
 * @param message     what happened
 * @param differences for a failed undo or reapply: how the schema differs from what it should be
 * @param durationMs  how long this script's proof took (including rebuilding the scratch state after a broken one)
 */
@RegisterForReflection
public record ReversibilityCheck(
        String script,
        String undoScript,
        Boolean reversible,
        String failedStep,
        String message,
        List<SchemaDifference> differences,
        long durationMs) {

    public ReversibilityCheck {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }
}
