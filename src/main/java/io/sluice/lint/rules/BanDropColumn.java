package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
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

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(DROP_COLUMN), "a column is dropped with its data");
    }
}
