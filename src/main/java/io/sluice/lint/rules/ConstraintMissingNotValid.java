package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code constraint-missing-not-valid}: Adding a CHECK constraint without NOT VALID scans the table under an ACCESS EXCLUSIVE lock. */
public final class ConstraintMissingNotValid extends BaseRule {

    private static final Pattern CHECK = regex("\\bADD (CONSTRAINT \\S+ )?CHECK\\b");
    private static final Pattern VALIDATE = regex("\\bVALIDATE CONSTRAINT (\\S+)");

    public ConstraintMissingNotValid() {
        super("constraint-missing-not-valid", LintSeverity.ERROR,
                "Adding a CHECK constraint without NOT VALID scans the table under an ACCESS EXCLUSIVE lock.",
                "ADD CONSTRAINT ... CHECK validates every row while holding ACCESS EXCLUSIVE on the table.",
                "Add the CHECK NOT VALID, then VALIDATE CONSTRAINT separately (SHARE UPDATE EXCLUSIVE: reads and writes go on).");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        var validate = VALIDATE.matcher(statement.shape());
        if (validate.find() && context.transactional()) {
            Pattern added = Pattern.compile("\\bADD CONSTRAINT " + Pattern.quote(validate.group(1)) + " .*\\bNOT VALID\\b");
            if (context.before().stream().anyMatch(earlier -> earlier.has(added))) {
                return List.of("constraint " + validate.group(1).toLowerCase() + " is validated in the transaction that added it NOT VALID:"
                        + " the ADD's ACCESS EXCLUSIVE lock is held through the whole validation; validate it in a later migration");
            }
        }
        return when(altersExistingTable(statement, context) && statement.has(CHECK) && !statement.shape().contains("NOT VALID"),
                "the CHECK is validated under ACCESS EXCLUSIVE; add it NOT VALID and VALIDATE it separately");
    }
}
