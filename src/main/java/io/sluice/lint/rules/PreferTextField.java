package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code prefer-text-field}: Prefer text (with a CHECK if needed) to char(n)/varchar(n). */
public final class PreferTextField extends BaseRule {

    private static final Pattern LIMITED = regex("^(VARCHAR|CHARACTER VARYING) ?\\(\\d+\\)");

    public PreferTextField() {
        super("prefer-text-field", LintSeverity.WARNING,
                "Prefer text (with a CHECK if needed) to char(n)/varchar(n).",
                "Changing a varchar(n) limit later is a migration of its own (a rewrite for shrinking), and char(n) pads with blanks; text costs the same.",
                "Use text, and CHECK (length(col) <= n) when the limit is a business rule (it can be added NOT VALID).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return ColumnDefinitions.of(statement).stream().filter(column -> LIMITED.matcher(column.elementType()).find())
                .map(column -> "column " + column.name().toLowerCase() + " is " + column.type().toLowerCase()).toList();
    }
}
