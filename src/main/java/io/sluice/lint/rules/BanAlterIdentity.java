package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.ActionRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER COLUMN ... ADD/SET/DROP IDENTITY} (and {@code SET GENERATED}) on an existing table. */
public final class BanAlterIdentity extends ActionRule {

    private static final Pattern IDENTITY = regex(
            "^ALTER (?:COLUMN )?(\\S+) (ADD GENERATED .*AS IDENTITY|SET GENERATED (?:ALWAYS|BY DEFAULT)|DROP IDENTITY|RESTART)\\b");

    public BanAlterIdentity() {
        super("ban-alter-identity", LintSeverity.WARNING,
                "Changing a column's identity locks the table and changes how its ids are made.",
                "ALTER COLUMN ... ADD/SET/DROP IDENTITY takes an ACCESS EXCLUSIVE lock; dropping it makes inserts without an id fail, SET GENERATED ALWAYS rejects inserts that give one, RESTART can hand out ids again.",
                "Keep identity changes in a release of their own, with the application already writing ids the new way.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        return eachAction(statement, context, IDENTITY, "ALTER\\s+(?:COLUMN\\s+)?",
                matcher -> "the identity of " + matcher.group(1).toLowerCase() + " changes ("
                + matcher.group(2).toLowerCase().replaceAll(" as identity.*", " as identity") + ")");
    }
}
