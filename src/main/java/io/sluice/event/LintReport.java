package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What lint found in a set of scripts.
 *
 * @param scripts           how many scripts were linted
 * @param statements        how many statements they hold
 * @param unparsed          how many of them JSqlParser could not read (they are linted all the same)
 * @param changeClass       the riskiest class of change among the scripts: minor, major, data or destructive
 * @param approvalsRequired approvals the change needs (minor 1, major 2, data 3, destructive 3; configurable)
 * @param errors            findings at error level
 * @param findings          every finding, by script and line
 * @param locks             what the lock probe measured, statement by statement; absent when it did not run
 */
@RegisterForReflection
public record LintReport(
        int scripts,
        int statements,
        int unparsed,
        String changeClass,
        int approvalsRequired,
        int errors,
        List<LintFinding> findings,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MeasuredLock> locks) {

    public LintReport {
        findings = List.copyOf(findings);
    }
}
