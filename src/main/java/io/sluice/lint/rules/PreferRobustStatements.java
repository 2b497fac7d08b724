package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code prefer-robust-stmts}: In a script that runs outside a transaction, use IF [NOT] EXISTS so a retry can finish it. */
public final class PreferRobustStatements extends BaseRule {

    /** IF NOT EXISTS needs a name: an unnamed index ({@code CREATE INDEX CONCURRENTLY ON t ...}) cannot have it. */
    private static final Pattern CREATE = regex("^CREATE (UNIQUE )?(INDEX( CONCURRENTLY)?+|TABLE|SCHEMA|SEQUENCE|EXTENSION|VIEW|MATERIALIZED VIEW) (?!IF NOT EXISTS)(?!ON )");
    private static final Pattern DROP = regex("^DROP (INDEX( CONCURRENTLY)?+|TABLE|SCHEMA|SEQUENCE|EXTENSION|VIEW|MATERIALIZED VIEW|TYPE|FUNCTION|TRIGGER) (?!IF EXISTS)");
    private static final Pattern ADD_COLUMN = regex("^ALTER TABLE .*\\bADD COLUMN (?!IF NOT EXISTS)");

    public PreferRobustStatements() {
        super("prefer-robust-stmts", LintSeverity.WARNING,
                "In a script that runs outside a transaction, use IF [NOT] EXISTS so a retry can finish it.",
                "A script outside a transaction that fails half-way leaves its first statements applied; re-running it then fails on them unless they tolerate existing (or missing) objects.",
                "Write CREATE ... IF NOT EXISTS, DROP ... IF EXISTS, ADD COLUMN IF NOT EXISTS.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (context.transactional()) {
            return List.of();
        }
        return when(statement.has(CREATE) || statement.has(DROP) || statement.has(ADD_COLUMN),
                "this statement fails when the script is re-run after a partial failure");
    }
}
