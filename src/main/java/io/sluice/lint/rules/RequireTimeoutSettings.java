package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code require-timeout-settings}: A script that resets its session must set lock_timeout and statement_timeout again. */
public final class RequireTimeoutSettings extends BaseRule {

    private static final Pattern DISABLES = regex("^(RESET (ALL|LOCK_TIMEOUT|STATEMENT_TIMEOUT)|SET (SESSION )?ROLE\\b|SET SESSION AUTHORIZATION\\b|SET (SESSION )?(LOCK_TIMEOUT|STATEMENT_TIMEOUT) ?(=|TO) ?('?0'?|DEFAULT)$)");
    private static final Pattern SETS_LOCK = regex("^SET (SESSION |LOCAL )?LOCK_TIMEOUT ?(=|TO) ?(?!'?0'?$|DEFAULT$)");
    private static final Pattern SETS_STATEMENT = regex("^SET (SESSION |LOCAL )?STATEMENT_TIMEOUT ?(=|TO) ?(?!'?0'?$|DEFAULT$)");

    public RequireTimeoutSettings() {
        super("require-timeout-settings", LintSeverity.ERROR,
                "A script that resets its session must set lock_timeout and statement_timeout again.",
                "Sluice starts every migration with lock_timeout and statement_timeout so that a blocked statement gives up instead of stalling the application; RESET ALL, SET ROLE or a zero timeout throws that protection away.",
                "After changing the session, SET lock_timeout and statement_timeout to non-zero values (or do not change them).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        String text = statement.text().trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT);
        if (!DISABLES.matcher(text).find()) {
            return List.of();
        }
        boolean restored = context.after().stream().map(later -> later.text().trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT))
                .anyMatch(later -> SETS_LOCK.matcher(later).find())
                && context.after().stream().map(later -> later.text().trim().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT))
                .anyMatch(later -> SETS_STATEMENT.matcher(later).find());
        return when(!restored, "this drops the lock_timeout/statement_timeout protection and nothing restores it");
    }
}
