package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-domain-constraint}: Constraints on domains are checked against every column that uses the domain. */
public final class BanDomainConstraint extends BaseRule {

    private static final Pattern CREATE_WITH_CHECK = regex("^CREATE DOMAIN .*\\b(CHECK|CONSTRAINT)\\b");
    private static final Pattern ALTER_ADD = regex("^ALTER DOMAIN \\S+ ADD ");

    public BanDomainConstraint() {
        super("ban-domain-constraint", LintSeverity.ERROR,
                "Constraints on domains are checked against every column that uses the domain.",
                "ALTER DOMAIN ... ADD CONSTRAINT scans every table using the domain while holding locks, and a domain CHECK is re-checked in places a column CHECK is not; they are hard to change later.",
                "Put CHECK constraints on the columns (added NOT VALID, then validated); if the domain constraint must exist, add it NOT VALID and VALIDATE it separately.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (statement.has(CREATE_WITH_CHECK)) {
            return List.of("the domain carries a constraint");
        }
        return when(statement.has(ALTER_ADD) && !statement.shape().contains("NOT VALID"),
                "the domain constraint is validated against every column using it");
    }
}
