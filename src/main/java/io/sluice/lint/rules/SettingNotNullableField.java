package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code setting-not-nullable-field}: SET NOT NULL without a validated CHECK scans the table under an ACCESS EXCLUSIVE lock. */
public final class SettingNotNullableField extends BaseRule {

    private static final Pattern SET_NOT_NULL = regex("\\bALTER (COLUMN )?(\\S+) SET NOT NULL\\b");

    public SettingNotNullableField() {
        super("setting-not-nullable-field", LintSeverity.ERROR,
                "SET NOT NULL without a validated CHECK scans the table under an ACCESS EXCLUSIVE lock.",
                "ALTER COLUMN ... SET NOT NULL checks every row while holding ACCESS EXCLUSIVE, blocking reads and writes for the whole scan, unless a validated CHECK (col IS NOT NULL) already proves it (PostgreSQL 12+).",
                "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it (SHARE UPDATE EXCLUSIVE only), then SET NOT NULL, then drop the CHECK.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        var matcher = SET_NOT_NULL.matcher(statement.shape());
        if (!altersExistingTable(statement, context) || !matcher.find()) {
            return List.of();
        }
        String column = matcher.group(2);
        boolean proven = context.schema().provenNotNull(alteredTable(statement), column);
        return when(!proven, "SET NOT NULL on " + column.toLowerCase() + " scans the table under ACCESS EXCLUSIVE");
    }
}
