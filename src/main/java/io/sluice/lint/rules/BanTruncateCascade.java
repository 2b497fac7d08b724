package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-truncate-cascade}: TRUNCATE ... CASCADE empties every table that references this one. */
public final class BanTruncateCascade extends BaseRule {

    private static final Pattern TRUNCATE_CASCADE = regex("^TRUNCATE .*\\bCASCADE\\b");

    public BanTruncateCascade() {
        super("ban-truncate-cascade", LintSeverity.ERROR,
                "TRUNCATE ... CASCADE empties every table that references this one.",
                "CASCADE follows foreign keys: tables nobody named in the migration lose all their rows.",
                "TRUNCATE only the tables you mean, listed explicitly, or delete in batches.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(TRUNCATE_CASCADE), "TRUNCATE cascades to referencing tables");
    }
}
