package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One lint finding.
 *
 * @param rule      the rule's id, e.g. {@code ban-drop-column}
 * @param severity  {@code ERROR}, {@code WARNING} or {@code INFO}, from configuration
 * @param script    the script, relative to its source
 * @param line      the 1-based line where the statement starts
 * @param statement the statement, abbreviated
 * @param message   what this statement does wrong
 * @param why       why it matters
 * @param fix       what to write instead
 * @param lock      what the lock probe measured for this statement, when it ran
 */
@RegisterForReflection
public record LintFinding(
        String rule,
        String severity,
        String script,
        int line,
        String statement,
        String message,
        String why,
        String fix,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lock) {

    /** The same finding with the probe's measurement beside it. */
    public LintFinding withLock(String measured) {
        return new LintFinding(rule, severity, script, line, statement, message, why, fix, measured);
    }

    /** The same finding as the measurement left it: its severity and message, and the measurement beside it. */
    public LintFinding withEvidence(String newSeverity, String newMessage, String measured) {
        return new LintFinding(rule, newSeverity, script, line, statement, newMessage, why, fix, measured);
    }
}
