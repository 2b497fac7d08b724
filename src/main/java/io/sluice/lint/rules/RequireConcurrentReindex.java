package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code require-concurrent-reindex}: REINDEX without CONCURRENTLY locks out writes (and reads of the index) while it rebuilds. */
public final class RequireConcurrentReindex extends BaseRule {

    private static final Pattern REINDEX = regex("^REINDEX\\b");
    /** REINDEX SYSTEM has no concurrent form. */
    private static final Pattern SYSTEM = regex("^REINDEX (\\([^)]*\\) )?SYSTEM\\b");

    public RequireConcurrentReindex() {
        super("require-concurrent-reindex", LintSeverity.ERROR,
                "REINDEX without CONCURRENTLY locks out writes (and reads of the index) while it rebuilds.",
                "REINDEX takes a SHARE lock on the table (ACCESS EXCLUSIVE on the index): writes stop and queries that would use the index wait.",
                "REINDEX ... CONCURRENTLY (PostgreSQL 12+), in a script of its own.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (!statement.has(REINDEX) || statement.shape().contains("CONCURRENTLY") || statement.has(SYSTEM)) {
            return List.of();
        }
        // In a script that runs in a transaction CONCURRENTLY cannot run at all: the statement needs a script of its own.
        return List.of(context.transactional() ? "REINDEX runs without CONCURRENTLY, in a script that runs in a transaction (where"
                + " CONCURRENTLY cannot): give it a script of its own" : "REINDEX runs without CONCURRENTLY");
    }
}
