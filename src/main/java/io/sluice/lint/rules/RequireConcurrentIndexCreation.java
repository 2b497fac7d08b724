package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code require-concurrent-index-creation}: CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds. */
public final class RequireConcurrentIndexCreation extends BaseRule {

    private static final Pattern CREATE_INDEX = regex("^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:\\S+ )?ON (?:ONLY )?(\\S+)");

    public RequireConcurrentIndexCreation() {
        super("require-concurrent-index-creation", LintSeverity.ERROR,
                "CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds.",
                "A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits.",
                "CREATE INDEX CONCURRENTLY (in a script of its own; Sluice runs it outside a transaction).");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        var matcher = CREATE_INDEX.matcher(statement.shape());
        if (!matcher.find() || context.createdEarlier(matcher.group(2))) {
            return List.of();
        }
        return List.of("the index on " + matcher.group(2).toLowerCase() + " is built without CONCURRENTLY");
    }
}
