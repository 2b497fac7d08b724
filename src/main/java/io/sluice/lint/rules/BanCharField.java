package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code char(n)} / {@code character(n)} columns: blank-padded, and no faster or smaller than text. */
public final class BanCharField extends BaseRule {

    private static final Pattern CHAR = regex("^(?:CHAR|CHARACTER|BPCHAR)(?:\\(\\d+\\))?(?:\\[\\])?$");

    public BanCharField() {
        super("ban-char-field", LintSeverity.WARNING,
                "char(n) pads values with blanks and saves nothing.",
                "char(n) stores values blank-padded to n characters and compares them ignoring the padding, which surprises code and indexes; it is neither smaller nor faster than text or varchar in PostgreSQL.",
                "Use text, with a CHECK (length(col) = n) when the length matters.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return ColumnDefinitions.of(statement).stream().filter(column -> CHAR.matcher(column.elementType()).matches())
                .map(column -> "column " + column.name().toLowerCase() + " is " + column.type().toLowerCase()).toList();
    }
}
