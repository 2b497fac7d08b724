package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code prefer-identity}: Prefer identity columns to serial. */
public final class PreferIdentity extends BaseRule {

    private static final Pattern SERIAL = regex("^(SERIAL|BIGSERIAL|SMALLSERIAL|SERIAL2|SERIAL4|SERIAL8)$");

    public PreferIdentity() {
        super("prefer-identity", LintSeverity.WARNING,
                "Prefer identity columns to serial.",
                "serial creates a separately owned sequence with loose permissions and ownership; identity columns are the SQL standard and keep the sequence tied to the column.",
                "Use bigint GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return ColumnDefinitions.of(statement).stream().filter(column -> SERIAL.matcher(column.elementType()).find())
                .map(column -> "column " + column.name().toLowerCase() + " is " + column.type().toLowerCase()).toList();
    }
}
