package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code renaming-column}: Renaming a column breaks the application version that is still running. */
public final class RenamingColumn extends BaseRule {

    private static final Pattern RENAME_COLUMN = regex("^ALTER TABLE .* RENAME (COLUMN )?(?!TO\\b|CONSTRAINT\\b)\\S+ TO ");

    public RenamingColumn() {
        super("renaming-column", LintSeverity.ERROR,
                "Renaming a column breaks the application version that is still running.",
                "During a rolling deployment the old application still queries the old name; the rename makes those queries fail.",
                "Add the new column, write to both, backfill, move readers, then drop the old column in a later release (expand and contract).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(RENAME_COLUMN), "a column is renamed");
    }
}
