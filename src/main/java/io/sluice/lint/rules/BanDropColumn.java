package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-drop-column}: Dropping a column loses its data and breaks the running application. */
public final class BanDropColumn extends BaseRule {

    private static final Pattern DROP_COLUMN = regex("^ALTER TABLE .*\\bDROP (COLUMN )?(?!CONSTRAINT\\b|NOT\\b|DEFAULT\\b|IDENTITY\\b|EXPRESSION\\b)\\S+");

    public BanDropColumn() {
        super("ban-drop-column", LintSeverity.ERROR,
                "Dropping a column loses its data and breaks the running application.",
                "The running application may still read or write the column, and its data is gone for good: no undo script can bring it back.",
                "Stop using the column in the application first; drop it in a later release, after a backup or a copy of the data.");
    }

    private static final Pattern DROP = regex("^DROP (?:COLUMN )?(?:IF EXISTS )?(?!CONSTRAINT\\b|NOT\\b|DEFAULT\\b|IDENTITY\\b|EXPRESSION\\b)(\"[^\"]+\"|\\S+)");

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    /** One finding per dropped column, on the line of its DROP. */
    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!statement.has(DROP_COLUMN)) {
            return List.of();
        }
        List<Problem> problems = new java.util.ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            var drop = DROP.matcher(clause);
            if (drop.find()) {
                String column = drop.group(1).replace("\"", "");
                problems.add(new Problem(lineOf(statement, "DROP\\s+(?:COLUMN\\s+)?", column),
                        "column " + column.toLowerCase() + " is dropped with its data"));
            }
        }
        return problems;
    }
}
