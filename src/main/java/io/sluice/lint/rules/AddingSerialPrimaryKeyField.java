package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code adding-serial-primary-key-field}: Adding a primary key to an existing table builds its index under an ACCESS EXCLUSIVE lock. */
public final class AddingSerialPrimaryKeyField extends BaseRule {

    private static final Pattern ADD_PRIMARY_KEY = regex("\\bADD (CONSTRAINT \\S+ )?PRIMARY KEY\\b|\\bADD (COLUMN )?\\S+ [^,]*\\bPRIMARY KEY\\b");

    public AddingSerialPrimaryKeyField() {
        super("adding-serial-primary-key-field", LintSeverity.ERROR,
                "Adding a primary key to an existing table builds its index under an ACCESS EXCLUSIVE lock.",
                "ADD PRIMARY KEY (or a new serial/identity column as primary key) fills and indexes every row while the table is locked against reads and writes.",
                "Add the column, backfill it in batches, CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(altersExistingTable(statement, context) && statement.has(ADD_PRIMARY_KEY) && !statement.shape().contains("USING INDEX"),
                "the primary key index is built while the table is locked");
    }
}
