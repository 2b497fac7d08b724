package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.ActionRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER TABLE ... DROP CONSTRAINT}: a guarantee the data kept until now is gone, one finding per constraint. */
public final class BanDropConstraint extends ActionRule {

    private static final Pattern DROP = regex("^DROP CONSTRAINT (?:IF EXISTS )?(\\S+)");

    public BanDropConstraint() {
        super("ban-drop-constraint", LintSeverity.WARNING,
                "Dropping a constraint lets data in that it kept out.",
                "Code (and reports) written against the constraint's guarantee meet rows that break it; putting it back later means cleaning the data and validating every row.",
                "Drop it only once nothing relies on it; to replace it, add the new constraint NOT VALID and VALIDATE it before dropping the old one.");
    }

    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        return eachAction(statement, context, DROP, "DROP\\s+CONSTRAINT\\s+",
                matcher -> "constraint " + matcher.group(1).toLowerCase() + " of "
                + alteredTable(statement).toLowerCase() + " is dropped");
    }
}
