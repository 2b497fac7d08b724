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

/** {@code ALTER COLUMN ... DROP DEFAULT}: inserts that leave the column out now write NULL, or fail on NOT NULL. */
public final class BanDropDefault extends BaseRule {

    private static final Pattern DROP_DEFAULT = regex("^ALTER (?:COLUMN )?(\\S+) DROP DEFAULT$");

    public BanDropDefault() {
        super("ban-drop-default", LintSeverity.WARNING,
                "Dropping a column default breaks inserts that rely on it.",
                "The running application's inserts that leave the column out now write NULL, or fail when the column is NOT NULL.",
                "Change the application to always set the column first; drop the default in a later release.");
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
            Matcher drop = DROP_DEFAULT.matcher(clause);
            if (drop.find()) {
                problems.add(new Problem(lineOf(statement, "ALTER\\s+(?:COLUMN\\s+)?", drop.group(1)),
                        "the default of " + drop.group(1).toLowerCase() + " is dropped"));
            }
        }
        return problems;
    }
}
