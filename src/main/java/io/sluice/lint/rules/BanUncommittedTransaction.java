package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** A {@code BEGIN} the script never ends with {@code COMMIT} or {@code ROLLBACK}. */
public final class BanUncommittedTransaction extends BaseRule {

    private static final Pattern BEGIN = regex("^(BEGIN|START TRANSACTION)\\b");
    private static final Pattern END = regex("^(COMMIT|END|ROLLBACK)\\b(?! PREPARED)");

    public BanUncommittedTransaction() {
        super("ban-uncommitted-transaction", LintSeverity.ERROR,
                "A transaction the script opens is never committed.",
                "Everything after the BEGIN stays uncommitted: run outside a transaction it is rolled back when the session ends, and locks taken in it are held until then.",
                "End the transaction with COMMIT, or remove the BEGIN and let Sluice run the script in a transaction.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(BEGIN) && context.after().stream().noneMatch(later -> later.has(END)),
                "the transaction opened here is never committed or rolled back");
    }
}
