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

/** {@code ADD COLUMN ... GENERATED ALWAYS AS (...) STORED} on an existing table: every row is computed and written. */
public final class AddingStoredGeneratedColumn extends BaseRule {

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
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    /** One finding per added column, on the line of its ADD. */
    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher stored = STORED.matcher(clause);
            if (stored.find()) {
                problems.add(new Problem(lineOf(statement, "ADD\\s+(?:COLUMN\\s+)?", stored.group(1)), "the stored generated column "
                        + stored.group(1).toLowerCase() + " is computed for every row: " + alteredTable(statement).toLowerCase()
                        + " is rewritten"));
            }
        }
        return problems;
    }
}
