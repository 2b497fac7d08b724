package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code enum-value-ordering}: Adding an enum value BEFORE/AFTER another changes how existing values sort. */
public final class EnumValueOrdering extends BaseRule {

    private static final Pattern INSERTED = regex("^ALTER TYPE \\S+ ADD VALUE .*\\b(BEFORE|AFTER) ");

    public EnumValueOrdering() {
        super("enum-value-ordering", LintSeverity.WARNING,
                "Adding an enum value BEFORE/AFTER another changes how existing values sort.",
                "Enum values compare by position: inserting one in the middle changes ORDER BY results and range conditions (status < 'shipped') for existing rows, silently.",
                "Append new values at the end (ALTER TYPE ... ADD VALUE without BEFORE/AFTER) unless the new order is intended and every query using comparisons was reviewed.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(INSERTED), "the new enum value is inserted between existing ones");
    }
}
