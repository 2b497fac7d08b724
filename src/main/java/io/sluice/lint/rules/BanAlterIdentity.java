package io.sluice.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER COLUMN ... ADD/SET/DROP IDENTITY} (and {@code SET GENERATED}) on an existing table. */
public final class BanAlterIdentity extends BaseRule {

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
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher identity = IDENTITY.matcher(clause);
            if (identity.find()) {
                problems.add(new Problem(lineOf(statement, "ALTER\\s+(?:COLUMN\\s+)?", identity.group(1)),
                        "the identity of " + identity.group(1).toLowerCase() + " changes (" + identity.group(2).toLowerCase()
                                .replaceAll(" as identity.*", " as identity") + ")"));
            }
        }
        return problems;
    }
}
