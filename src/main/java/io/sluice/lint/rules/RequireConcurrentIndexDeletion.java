package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code require-concurrent-index-deletion}: DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table. */
public final class RequireConcurrentIndexDeletion extends BaseRule {

    private static final Pattern DROP_INDEX = regex("^DROP INDEX (?!CONCURRENTLY)");

    public RequireConcurrentIndexDeletion() {
        super("require-concurrent-index-deletion", LintSeverity.ERROR,
                "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.",
                "A plain DROP INDEX locks the index's table against reads and writes, and queues behind any running query on it.",
                "DROP INDEX CONCURRENTLY IF EXISTS (in a script of its own).");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(DROP_INDEX), "the index is dropped without CONCURRENTLY");
    }
}
