package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-vacuum-full}: VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock. */
public final class BanVacuumFull extends BaseRule {

    /** VACUUM FULL, or VACUUM (FULL) / (FULL TRUE|ON|1); not (FULL FALSE|OFF|0). */
    private static final Pattern VACUUM_FULL = regex("^VACUUM (\\([^)]*\\bFULL\\b(?! ?(FALSE|OFF|0)\\b)[^)]*\\)|FULL\\b)");

    public BanVacuumFull() {
        super("ban-vacuum-full", LintSeverity.ERROR,
                "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock.",
                "VACUUM FULL copies the whole table while blocking all reads and writes; it cannot run in a transaction either.",
                "Use plain VACUUM, or pg_repack / pg_squeeze to compact a table online.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(VACUUM_FULL), "VACUUM FULL locks and rewrites the table");
    }
}
