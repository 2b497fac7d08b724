package io.sluice.lint;

import java.util.Map;

import io.sluice.event.Phase;
import io.sluice.migration.Script;

/**
 * What the rules whose change breaks the application's readers say about phases. In an expand script such a change
 * breaks the release still serving traffic the moment Migrate commits, so its fix says to move it to a contract
 * script. In a contract script it runs once the new release serves everything; its fix says what the expand release
 * must have done first, and a drop (whose data loss the change class still counts, with its approvals) is a warning
 * there rather than an error: dropping what nothing reads any more is what a contract script is for.
 */
final class PhaseAdvice {

    /**
     * @param beforeContract what the expand release must have done, for the fix of a contract script's finding
     * @param downgrade      whether the finding is a warning in a contract script
     */
    private record Advice(String beforeContract, boolean downgrade) {
    }

    private static final String MOVE = " Under a running application, move this statement to a contract script ('-- sluice:phase"
            + " contract'): the pipeline runs contract scripts after the new release serves all traffic.";

    private static final Map<String, Advice> READER_BREAKING = Map.of(
            "ban-drop-column", new Advice("an earlier release must have stopped reading and writing the column (and kept a copy of"
                    + " its data if it may be needed), so that only the old release, now gone, used it", true),
            "ban-drop-table", new Advice("an earlier release must have stopped using the table (and kept a copy of its data if it"
                    + " may be needed), so that only the old release, now gone, used it", true),
            "renaming-column", new Advice("the expand release must have added the new column, kept both in step (a trigger"
                    + " writing both, a batched backfill) and switched the application to it; then drop the old column here instead"
                    + " of renaming", false),
            "renaming-table", new Advice("the expand release must have created the new table (or a view under the new name),"
                    + " kept both in step and switched the application to it; then drop the old one here instead of renaming", false),
            "changing-column-type", new Advice("the expand release must have added a column of the new type, kept it in step"
                    + " (a trigger, a batched backfill) and switched the application to it; then drop the old column here", false),
            "setting-not-nullable-field", new Advice("the expand release must have added CHECK (col IS NOT NULL) NOT VALID,"
                    + " validated it, and made every writer set the column; SET NOT NULL then uses the validated constraint",
                    false),
            "adding-required-field", new Advice("the expand release must have added the column nullable (or with a default) and made"
                    + " every writer set it; here only its NOT NULL is added, after a validated CHECK constraint", false));

    private PhaseAdvice() {
    }

    /** The severity of {@code rule}'s finding in {@code script}. */
    static LintSeverity severity(String rule, LintSeverity configured, Script script) {
        Advice advice = READER_BREAKING.get(rule);
        if (advice != null && advice.downgrade() && configured == LintSeverity.ERROR && phase(script) == Phase.CONTRACT) {
            return LintSeverity.WARNING;
        }
        return configured;
    }

    /** The fix of {@code rule}'s finding in {@code script}: the rule's own, and what phases add to it. */
    static String fix(String rule, String fix, Script script) {
        Advice advice = READER_BREAKING.get(rule);
        if (advice == null || script.kind() != Script.Kind.VERSIONED) {
            return fix;
        }
        return phase(script) == Phase.CONTRACT ? "In a contract script: " + advice.beforeContract() + "." : fix + MOVE;
    }

    private static Phase phase(Script script) {
        return script.kind() == Script.Kind.VERSIONED ? script.phase() : Phase.EXPAND;
    }
}
