package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.ActionRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER COLUMN ... DROP DEFAULT}: inserts that leave the column out now write NULL, or fail on NOT NULL. */
public final class BanDropDefault extends ActionRule {

    private static final Pattern DROP_DEFAULT = regex("^ALTER (?:COLUMN )?(\\S+) DROP DEFAULT$");

    public BanDropDefault() {
        super("ban-drop-default", LintSeverity.WARNING,
                "Dropping a column default breaks inserts that rely on it.",
                "The running application's inserts that leave the column out now write NULL, or fail when the column is NOT NULL.",
                "Change the application to always set the column first; drop the default in a later release.");
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        return eachAction(statement, context, DROP_DEFAULT, "ALTER\\s+(?:COLUMN\\s+)?",
                matcher -> "the default of " + matcher.group(1).toLowerCase() + " is dropped");
    }
}
