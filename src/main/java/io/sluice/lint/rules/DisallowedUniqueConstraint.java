package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code disallowed-unique-constraint}: Adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock. */
public final class DisallowedUniqueConstraint extends BaseRule {

    private static final Pattern UNIQUE = regex("\\bADD (CONSTRAINT \\S+ )?UNIQUE\\b|\\bADD (COLUMN )?\\S+ [^,]*\\bUNIQUE\\b");

    public DisallowedUniqueConstraint() {
        super("disallowed-unique-constraint", LintSeverity.ERROR,
                "Adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock.",
                "ADD CONSTRAINT ... UNIQUE (or a UNIQUE column) builds a unique index while the table is locked against reads and writes.",
                "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(altersExistingTable(statement, context) && statement.has(UNIQUE) && !statement.shape().contains("USING INDEX"),
                "the unique index is built while the table is locked");
    }
}
