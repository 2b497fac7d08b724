package io.sluice.lint;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.event.MeasuredLock;

/**
 * What the lock probe's measurements make of the findings. A finding whose rule claims a rewrite, or a lock on an
 * existing table, is checked against what PostgreSQL did with its statement in the scratch database: confirmed, it
 * says "measured" and what; contradicted (no rewrite, no lock), it says so and drops one severity level (an error
 * becomes a warning), since the claim was the rule's guess where the statement's effect was not visible. Findings of
 * statements the probe could not run in a transaction, or that failed there, keep their severity.
 */
public final class LockEvidence {

    private LockEvidence() {
    }

    public static LintReport annotate(LintReport report, List<MeasuredLock> measured, List<Rule> rules) {
        Map<String, Rule> byId = rules.stream().collect(Collectors.toMap(Rule::id, Function.identity()));
        List<LintFinding> findings = report.findings().stream().map(finding -> {
            Optional<MeasuredLock> lock = statementOf(finding, measured);
            if (lock.isEmpty()) {
                return finding;
            }
            Rule rule = byId.get(finding.rule());
            Rule.Premise premise = rule == null ? Rule.Premise.NONE : rule.premise();
            MeasuredLock what = lock.get();
            if (premise == Rule.Premise.NONE || !what.measured() || what.error() != null) {
                return finding.withLock(what.describe());
            }
            boolean holds = premise == Rule.Premise.REWRITE ? !what.rewritten().isEmpty() : !what.locks().isEmpty();
            if (holds) {
                return finding.withEvidence(finding.severity(), finding.message() + "; measured: " + what.describe(), what.describe());
            }
            String claim = premise == Rule.Premise.REWRITE ? "no rewrite" : "no lock on a table that existed before";
            return finding.withEvidence(lower(finding.severity()), finding.message() + "; the lock probe measured " + claim + " ("
                    + what.describe() + ")", what.describe());
        }).toList();
        int errors = (int) findings.stream().filter(finding -> finding.severity().equals(LintSeverity.ERROR.name())).count();
        return new LintReport(report.scripts(), report.statements(), report.unparsed(), report.changeClass(), report.approvalsRequired(),
                errors, findings, measured);
    }

    /** The measured statement a finding is on: its script's last statement starting at or before the finding's line. */
    private static Optional<MeasuredLock> statementOf(LintFinding finding, List<MeasuredLock> measured) {
        return measured.stream().filter(lock -> lock.script().equals(finding.script()) && lock.line() <= finding.line())
                .max(Comparator.comparingInt(MeasuredLock::line));
    }

    private static String lower(String severity) {
        return switch (LintSeverity.valueOf(severity)) {
            case ERROR -> LintSeverity.WARNING.name();
            case WARNING, INFO -> LintSeverity.INFO.name();
            case OFF -> severity;
        };
    }
}
