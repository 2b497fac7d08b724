package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code adding-required-field}: Adding a NOT NULL column without a default fails on a table with rows. */
public final class AddingRequiredField extends BaseRule {

    /** An added column, not a constraint: {@code ADD CONSTRAINT c CHECK (col IS NOT NULL)} is the safe way to NOT NULL. */
    private static final String ADDED_COLUMN = "\\bADD (COLUMN )?(IF NOT EXISTS )?(?!(CONSTRAINT|CHECK|UNIQUE|PRIMARY|FOREIGN|EXCLUDE)\\b)\\S+ ";
    private static final Pattern ADD_NOT_NULL = regex(ADDED_COLUMN + "[^,]*\\bNOT NULL\\b");
    private static final Pattern HAS_DEFAULT = regex(ADDED_COLUMN + "[^,]*\\b(DEFAULT|GENERATED)\\b");

    public AddingRequiredField() {
        super("adding-required-field", LintSeverity.ERROR,
                "Adding a NOT NULL column without a default fails on a table with rows.",
                "ALTER TABLE ... ADD COLUMN ... NOT NULL without a DEFAULT cannot fill existing rows: it fails on any non-empty table, typically in production only.",
                "Add the column nullable (or with a constant DEFAULT), backfill it, then add a NOT NULL constraint the safe way.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(altersExistingTable(statement, context) && statement.has(ADD_NOT_NULL) && !statement.has(HAS_DEFAULT),
                "the NOT NULL column has no default to fill existing rows");
    }
}
