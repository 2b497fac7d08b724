package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-cluster}: CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock. */
public final class BanCluster extends BaseRule {

    private static final Pattern CLUSTER = regex("^CLUSTER\\b");

    public BanCluster() {
        super("ban-cluster", LintSeverity.ERROR,
                "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock.",
                "CLUSTER reorders the table by copying it while blocking all reads and writes.",
                "Use pg_repack to reorder a table online, or skip it: the order decays with writes anyway.");
    }

    @Override
    public Premise premise() {
        return Premise.REWRITE;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(CLUSTER), "CLUSTER locks and rewrites the table");
    }
}
