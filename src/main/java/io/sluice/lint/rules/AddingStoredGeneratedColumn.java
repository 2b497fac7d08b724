package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.ActionRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ADD COLUMN ... GENERATED ALWAYS AS (...) STORED} on an existing table: every row is computed and written. */
public final class AddingStoredGeneratedColumn extends ActionRule {

    private static final Pattern STORED = regex("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(\\S+) .*\\bGENERATED ALWAYS AS \\(.*\\) STORED\\b");

    public AddingStoredGeneratedColumn() {
        super("adding-stored-generated-column", LintSeverity.ERROR,
                "Adding a stored generated column rewrites the table.",
                "A STORED generated column is computed for every existing row when it is added: the table is rewritten under an ACCESS EXCLUSIVE lock, blocking reads and writes for the whole rewrite.",
                "Add a plain column, fill it in batches (and keep it filled with a trigger), or compute the value in a view or a query.");
    }

    @Override
    public Premise premise() {
        return Premise.REWRITE;
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        return eachAction(statement, context, STORED, "ADD\\s+(?:COLUMN\\s+)?",
                matcher -> "the stored generated column " + matcher.group(1).toLowerCase()
                + " is computed for every row: " + alteredTable(statement).toLowerCase() + " is rewritten");
    }
}
