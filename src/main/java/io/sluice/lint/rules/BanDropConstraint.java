package io.sluice.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER TABLE ... DROP CONSTRAINT}: a guarantee the data kept until now is gone, one finding per constraint. */
public final class BanDropConstraint extends BaseRule {

    private static final Pattern DROP = regex("^DROP CONSTRAINT (?:IF EXISTS )?(\\S+)");

    public BanDropConstraint() {
        super("ban-drop-constraint", LintSeverity.WARNING,
                "Dropping a constraint lets data in that it kept out.",
                "Code (and reports) written against the constraint's guarantee meet rows that break it; putting it back later means cleaning the data and validating every row.",
                "Drop it only once nothing relies on it; to replace it, add the new constraint NOT VALID and VALIDATE it before dropping the old one.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher drop = DROP.matcher(clause);
            if (drop.find()) {
                problems.add(new Problem(lineOf(statement, "DROP\\s+CONSTRAINT\\s+", drop.group(1)),
                        "constraint " + drop.group(1).toLowerCase() + " of " + alteredTable(statement).toLowerCase() + " is dropped"));
            }
        }
        return problems;
    }
}
