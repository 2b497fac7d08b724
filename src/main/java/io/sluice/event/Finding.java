package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One thing {@code validate} noticed.
 *
 * @param severity {@code ERROR} makes the result invalid; {@code WARNING} does not
 * @param code     what kind of problem, stable for scripts and dashboards
 * @param version  the migration version concerned, when there is one
 * @param script   the script concerned, when there is one
 * @param message  what is wrong and what to do about it
 * @param expected what the history (or the rule) says, when that helps
 * @param actual   what was found, when that helps
 */
@RegisterForReflection
public record Finding(
        Severity severity,
        FindingCode code,
        String version,
        String script,
        String message,
        String expected,
        String actual) {

    /** How much a finding weighs. */
    public enum Severity { ERROR, WARNING }

    public static Finding of(Severity severity, FindingCode code, String version, String script, String message) {
        return new Finding(severity, code, version, script, message, null, null);
    }

    /** Whether none of {@code findings} is an error. */
    public static boolean noErrors(java.util.List<Finding> findings) {
        return findings.stream().noneMatch(finding -> finding.severity() == Severity.ERROR);
    }
}
