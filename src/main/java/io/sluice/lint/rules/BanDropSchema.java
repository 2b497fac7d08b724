package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-drop-schema}: Dropping a schema loses everything in it. */
public final class BanDropSchema extends BaseRule {

    private static final Pattern DROP_SCHEMA = regex("^DROP SCHEMA ");

    public BanDropSchema() {
        super("ban-drop-schema", LintSeverity.ERROR,
                "Dropping a schema loses everything in it.",
                "DROP SCHEMA (especially with CASCADE) removes every table, view and function inside it.",
                "Drop the objects one by one in reviewed migrations, or do not drop the schema from a migration at all.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(DROP_SCHEMA), "a schema is dropped" + (statement.shape().contains("CASCADE") ? " with CASCADE" : ""));
    }
}
