package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code renaming-table}: Renaming a table breaks the application version that is still running. */
public final class RenamingTable extends BaseRule {

    private static final Pattern RENAME_TABLE = regex("^ALTER TABLE (IF EXISTS )?\\S+ RENAME TO ");

    public RenamingTable() {
        super("renaming-table", LintSeverity.ERROR,
                "Renaming a table breaks the application version that is still running.",
                "The running application still uses the old name; every query of it fails after the rename.",
                "Create the new table (or a view with the new name), migrate readers and writers, drop the old one later.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(RENAME_TABLE), "a table is renamed");
    }
}
