package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-drop-database}: Dropping a database from a migration destroys everything. */
public final class BanDropDatabase extends BaseRule {

    private static final Pattern DROP_DATABASE = regex("^DROP DATABASE ");

    public BanDropDatabase() {
        super("ban-drop-database", LintSeverity.ERROR,
                "Dropping a database from a migration destroys everything.",
                "A migration runs against production sooner or later; DROP DATABASE there cannot be undone.",
                "Never drop databases from migrations; do it by hand, with approvals and a backup.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(DROP_DATABASE), "a database is dropped");
    }
}
