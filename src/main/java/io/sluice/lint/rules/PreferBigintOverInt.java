package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code prefer-bigint-over-int}: Keys should be bigint: int and smallint run out. */
public final class PreferBigintOverInt extends BaseRule {

    private static final Pattern SMALL_INTEGER = regex("^(INT|INTEGER|INT4|SMALLINT|INT2|SERIAL|SERIAL4|SMALLSERIAL|SERIAL2)$");

    public PreferBigintOverInt() {
        super("prefer-bigint-over-int", LintSeverity.WARNING,
                "Keys should be bigint: int and smallint run out.",
                "An int key overflows at 2.1 billion; changing it then rewrites the table and every referencing one under ACCESS EXCLUSIVE.",
                "Use bigint (bigint GENERATED ALWAYS AS IDENTITY for generated keys).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return ColumnDefinitions.of(statement).stream().filter(column -> column.isKey() && SMALL_INTEGER.matcher(column.elementType()).find())
                .map(column -> "key column " + column.name().toLowerCase() + " is " + column.type().toLowerCase()).toList();
    }
}
