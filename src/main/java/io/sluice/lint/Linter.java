package io.sluice.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.migration.Script;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * Runs every rule on every statement of the given scripts, applies the configured severities and the scripts'
 * {@code -- sluice:ignore} comments, and classifies the change.
 */
public final class Linter {

    private static final int STATEMENT_EXCERPT = 160;

    private final List<Rule> rules;
    private final LintPolicy policy;

    public Linter(List<Rule> rules, LintPolicy policy) {
        this.rules = List.copyOf(rules);
        this.policy = policy;
    }

    public Linter(LintPolicy policy) {
        this(Rules.all(), policy);
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * @param scripts       the scripts to lint, in order
     * @param transactional whether a script runs in one transaction (as Sluice will run it)
     */
    public LintReport lint(List<Script> scripts, Predicate<Script> transactional) {
        return lint(List.of(), scripts, transactional);
    }

    /**
     * @param history the scripts applied before {@code scripts}: read for what they leave in the schema (column
     *                types, proven NOT NULL columns), not linted
     */
    public LintReport lint(List<Script> history, List<Script> scripts, Predicate<Script> transactional) {
        SchemaModel schema = new SchemaModel();
        for (Script script : history) {
            for (SqlStatement statement : SqlText.split(script.content())) {
                schema.apply(new LintStatement(statement));
            }
        }
        List<LintFinding> findings = new ArrayList<>();
        int statements = 0;
        int unparsed = 0;
        ChangeClass change = ChangeClass.MINOR;
        Map<String, ChangeClass> functions = new HashMap<>();
        for (Script script : scripts) {
            Reversals reversals = script.kind() == Script.Kind.UNDO ? versionedOf(script, history, scripts) : null;
            List<LintStatement> parsed = new ArrayList<>();
            for (SqlStatement statement : SqlText.split(script.content())) {
                parsed.add(new LintStatement(statement));
            }
            Suppressions suppressions = new Suppressions(script.content());
            LintContext context = new LintContext(script.path(), transactional.test(script), parsed, schema);
            for (int i = 0; i < parsed.size(); i++) {
                LintStatement statement = parsed.get(i);
                context.moveTo(i);
                int previousLine = i == 0 ? 0 : parsed.get(i - 1).line();
                boolean hasError = false;
                // An undo script dropping what its versioned script created is that script undone: no drop of its own.
                boolean reversal = reversals != null && reversals.reverses(statement);
                for (Rule rule : rules) {
                    LintSeverity severity = PhaseAdvice.severity(rule.id(), policy.severity(rule.id(), rule.defaultSeverity()), script);
                    if (severity == LintSeverity.OFF || reversal && rule.id().startsWith("ban-drop-")) {
                        continue;
                    }
                    for (Rule.Problem problem : rule.problems(statement, context)) {
                        if (!suppressions.suppresses(rule.id(), statement.line(), previousLine)) {
                            findings.add(finding(rule.id(), severity, script, statement, problem.line(),
                                    SqlText.spelled(problem.message()), rule.why(),
                                    PhaseAdvice.fix(rule.id(), rule.fix(), script)));
                            hasError |= severity == LintSeverity.ERROR;
                        }
                    }
                }
                // Off by default: the rules read every statement by its keywords; asked for, PostgreSQL's grammar checks
                // each statement too and names the ones it does not accept.
                LintSeverity unparsedSeverity = policy.severity(Rules.UNPARSED_STATEMENT, LintSeverity.OFF);
                if (unparsedSeverity != LintSeverity.OFF && !statement.isParsed()) {
                    unparsed++;
                    findings.add(finding(Rules.UNPARSED_STATEMENT, unparsedSeverity, script, statement, statement.line(),
                            "PostgreSQL's grammar does not accept this statement; the rules checked it by its keywords",
                            "A statement the grammar does not accept is either not PostgreSQL (it will fail when applied) or a form the grammar port lacks, which could hide a construct a rule looks for.",
                            "Fix the statement when PostgreSQL rejects it too; otherwise report the form so the rules can read it."));
                }
                schema.apply(statement);
                ChangeClass statementClass = reversal ? ChangeClass.MINOR : ChangeClassifier.classify(statement, hasError, functions);
                change = statementClass.compareTo(change) > 0 ? statementClass : change;
            }
            statements += parsed.size();
            unusedSuppressions(script, suppressions, findings);
        }
        int errors = (int) findings.stream().filter(finding -> finding.severity().equals(LintSeverity.ERROR.name())).count();
        return new LintReport(scripts.size(), statements, unparsed, change.json(), policy.approvals(change), errors, findings, null);
    }

    /** What the versioned script of {@code undo}'s version creates (nothing when the release holds none). */
    private static Reversals versionedOf(Script undo, List<Script> history, List<Script> scripts) {
        return java.util.stream.Stream.concat(scripts.stream(), history.stream())
                .filter(script -> script.kind() == Script.Kind.VERSIONED && script.version().equals(undo.version()))
                .findFirst().map(Reversals::of).orElse(Reversals.none());
    }

    private void unusedSuppressions(Script script, Suppressions suppressions, List<LintFinding> findings) {
        LintSeverity severity = policy.severity(Rules.UNUSED_SUPPRESSION, LintSeverity.WARNING);
        if (severity == LintSeverity.OFF) {
            return;
        }
        for (Suppressions.Suppression suppression : suppressions.all()) {
            for (String rule : suppression.rules()) {
                if (!suppression.used().contains(rule)) {
                    boolean known = rules.stream().anyMatch(candidate -> candidate.id().equals(rule));
                    findings.add(new LintFinding(Rules.UNUSED_SUPPRESSION, severity.name(), script.path(), suppression.line(),
                            "-- sluice:ignore " + String.join(", ", suppression.rules()),
                            known ? "the suppression of " + rule + " matches no finding" : "there is no rule " + rule,
                            "A stale suppression hides the next real problem of that kind.",
                            "Remove it, or move it onto the statement it is meant for.", null));
                }
            }
        }
    }

    private static LintFinding finding(String rule, LintSeverity severity, Script script, LintStatement statement, int line,
            String message, String why, String fix) {
        String text = statement.text().replaceAll("\\s+", " ");
        String excerpt = text.length() <= STATEMENT_EXCERPT ? text : text.substring(0, STATEMENT_EXCERPT - 3) + "...";
        return new LintFinding(rule, severity.name(), script.path(), line, excerpt, message, why, fix, null);
    }
}
