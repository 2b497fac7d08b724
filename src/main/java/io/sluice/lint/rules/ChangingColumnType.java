package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code changing-column-type}: Changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock. */
public final class ChangingColumnType extends BaseRule {

    private static final Pattern TYPE_CHANGE = regex("\\bALTER (COLUMN )?\\S+ (SET DATA )?TYPE\\b");

    public ChangingColumnType() {
        super("changing-column-type", LintSeverity.ERROR,
                "Changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock.",
                "ALTER COLUMN ... TYPE rewrites the table and its indexes (except a few binary-compatible changes such as varchar(n) to text), blocking all access for the duration.",
                "Add a new column of the new type, backfill it in batches, switch readers and writers, then drop the old column.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context) || !statement.has(TYPE_CHANGE)) {
            return List.of();
        }
        return List.of("the column type change may rewrite " + alteredTable(statement).toLowerCase());
    }
}
