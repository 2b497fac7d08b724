package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code transaction-nesting}: Do not open or end transactions in a migration script. */
public final class TransactionNesting extends BaseRule {

    private static final Pattern BEGIN = regex("^(BEGIN|START TRANSACTION)\\b");
    private static final Pattern END = regex("^(COMMIT|END|ROLLBACK)\\b(?! PREPARED)");

    public TransactionNesting() {
        super("transaction-nesting", LintSeverity.ERROR,
                "Do not open or end transactions in a migration script.",
                "Flyway already runs a transactional script in a transaction: a COMMIT inside ends it early (the rest is no longer atomic), a BEGIN only warns, and a BEGIN without COMMIT leaves the script's work uncommitted.",
                "Remove BEGIN/COMMIT; to run outside a transaction, put the statement that needs it in a script of its own.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (statement.has(BEGIN)) {
            // A BEGIN that is never ended is ban-uncommitted-transaction's.
            boolean ended = context.after().stream().anyMatch(later -> later.has(END));
            return when(ended && context.transactional(), "the script already runs in a transaction: this BEGIN nests");
        }
        return when(statement.has(END) && context.transactional(), "this ends the transaction Flyway runs the script in");
    }
}
