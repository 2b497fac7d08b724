package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code adding-field-with-volatile-default}: Adding a column with a volatile default rewrites the table. */
public final class AddingFieldWithVolatileDefault extends BaseRule {

    private static final Pattern VOLATILE_DEFAULT = regex("\\bADD (COLUMN )?.*\\bDEFAULT .*\\b(RANDOM|GEN_RANDOM_UUID|UUID_GENERATE_V[14]|CLOCK_TIMESTAMP|TIMEOFDAY|NEXTVAL|STATEMENT_TIMESTAMP)\\s*\\(");

    public AddingFieldWithVolatileDefault() {
        super("adding-field-with-volatile-default", LintSeverity.ERROR,
                "Adding a column with a volatile default rewrites the table.",
                "PostgreSQL 11+ adds a column with a constant default without touching rows, but a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()) is computed per row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.",
                "Add the column without a default (or with a constant one), set the default in a second statement, and backfill existing rows in batches.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context) || !statement.has(VOLATILE_DEFAULT)) {
            return List.of();
        }
        return List.of("the volatile default forces a rewrite of " + alteredTable(statement).toLowerCase());
    }
}
