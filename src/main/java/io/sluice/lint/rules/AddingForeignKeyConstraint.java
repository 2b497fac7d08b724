package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code adding-foreign-key-constraint}: Adding a foreign key without NOT VALID locks both tables while it checks every row. */
public final class AddingForeignKeyConstraint extends BaseRule {

    private static final Pattern FOREIGN_KEY = regex("\\bADD (CONSTRAINT \\S+ )?FOREIGN KEY\\b|\\bADD (COLUMN )?\\S+ [^,]*\\bREFERENCES\\b");

    public AddingForeignKeyConstraint() {
        super("adding-foreign-key-constraint", LintSeverity.ERROR,
                "Adding a foreign key without NOT VALID locks both tables while it checks every row.",
                "ADD FOREIGN KEY validates all existing rows while holding SHARE ROW EXCLUSIVE on both tables: writes to both stall for the whole scan.",
                "Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate statement (it takes only SHARE UPDATE EXCLUSIVE).");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(altersExistingTable(statement, context) && statement.has(FOREIGN_KEY) && !statement.shape().contains("NOT VALID"),
                "the foreign key is validated in the same statement; add it NOT VALID and VALIDATE it separately");
    }
}
