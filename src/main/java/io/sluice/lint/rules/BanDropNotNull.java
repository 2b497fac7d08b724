package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-drop-not-null}: Dropping NOT NULL lets NULLs in that the application may not expect. */
public final class BanDropNotNull extends BaseRule {

    private static final Pattern DROP_NOT_NULL = regex("\\bALTER (COLUMN )?\\S+ DROP NOT NULL\\b");

    public BanDropNotNull() {
        super("ban-drop-not-null", LintSeverity.WARNING,
                "Dropping NOT NULL lets NULLs in that the application may not expect.",
                "Code written for the NOT NULL column may crash on NULLs; putting the constraint back later needs a full-table check.",
                "Make sure every reader handles NULL before dropping the constraint.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return when(statement.has(DROP_NOT_NULL), "NOT NULL is dropped");
    }
}
