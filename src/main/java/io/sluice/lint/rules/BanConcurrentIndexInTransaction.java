package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-concurrent-index-creation-in-transaction}: CONCURRENTLY cannot run inside a transaction. */
public final class BanConcurrentIndexInTransaction extends BaseRule {

    private static final Pattern CONCURRENTLY = regex("^(CREATE (UNIQUE )?INDEX CONCURRENTLY|DROP INDEX CONCURRENTLY|REINDEX\\b.*\\bCONCURRENTLY)");
    private static final Pattern BEGIN = regex("^(BEGIN|START TRANSACTION)\\b");
    private static final Pattern END = regex("^(COMMIT|END|ROLLBACK)\\b");

    public BanConcurrentIndexInTransaction() {
        super("ban-concurrent-index-creation-in-transaction", LintSeverity.ERROR,
                "CONCURRENTLY cannot run inside a transaction.",
                "PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY in a transaction block: the migration fails when it runs.",
                "Keep the statement in a script of its own without BEGIN/COMMIT and without executeInTransaction=true.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (!statement.has(CONCURRENTLY)) {
            return List.of();
        }
        boolean inBlock = false;
        for (LintStatement earlier : context.before()) {
            if (earlier.has(BEGIN)) {
                inBlock = true;
            } else if (earlier.has(END)) {
                inBlock = false;
            }
        }
        return when(inBlock || context.transactional(), inBlock ? "CONCURRENTLY inside a BEGIN ... COMMIT block"
                : "the script is configured to run in a transaction");
    }
}
