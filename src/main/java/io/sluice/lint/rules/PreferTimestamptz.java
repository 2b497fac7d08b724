package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code prefer-timestamptz}: Prefer timestamptz to timestamp without time zone. */
public final class PreferTimestamptz extends BaseRule {

    private static final Pattern NAIVE = regex("^TIMESTAMP( ?\\(\\d\\))?( WITHOUT TIME ZONE)?$");

    public PreferTimestamptz() {
        super("prefer-timestamptz", LintSeverity.WARNING,
                "Prefer timestamptz to timestamp without time zone.",
                "timestamp without time zone stores wall-clock time with no zone: values from servers or sessions in different zones cannot be compared.",
                "Use timestamptz (timestamp with time zone).");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return ColumnDefinitions.of(statement).stream().filter(column -> NAIVE.matcher(column.elementType()).find())
                .map(column -> "column " + column.name().toLowerCase() + " is timestamp without time zone").toList();
    }
}
