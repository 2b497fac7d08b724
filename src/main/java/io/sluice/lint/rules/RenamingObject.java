package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/**
 * Renaming any object other than a table or a column (those have rules of their own): an index, sequence, view,
 * function, type, schema, constraint, trigger or enum value.
 */
public final class RenamingObject extends BaseRule {

    private static final Pattern RENAME = regex("^ALTER (INDEX|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|DOMAIN|SCHEMA|TRIGGER"
            + "|POLICY|STATISTICS) (?:IF EXISTS )?(\\S+?)(?: ?\\(.*\\))?(?: ON \\S+)? RENAME TO (\\S+)$");
    private static final Pattern RENAME_PART = regex("^ALTER (TABLE|TYPE|DOMAIN) (?:IF EXISTS )?(?:ONLY )?(\\S+) RENAME (CONSTRAINT|VALUE|ATTRIBUTE) (\\S+) TO (\\S+)$");

    public RenamingObject() {
        super("renaming-object", LintSeverity.WARNING,
                "Renaming an object breaks the code that names it.",
                "Queries, functions, hints and tooling of the running application that name the object by its old name fail after the rename (an index or constraint name in error handling, a sequence in a default, an enum value in the code).",
                "Keep the old name, or add the new object beside the old one and drop the old one once nothing uses it.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        Matcher rename = RENAME.matcher(statement.shape());
        if (rename.find()) {
            return List.of(rename.group(1).toLowerCase() + " " + rename.group(2).toLowerCase() + " is renamed to "
                    + rename.group(3).toLowerCase());
        }
        Matcher part = RENAME_PART.matcher(statement.shape());
        if (part.find()) {
            if (part.group(4).equals("?")) {
                return List.of("a " + part.group(3).toLowerCase() + " of " + part.group(2).toLowerCase() + " is renamed");
            }
            return List.of(part.group(3).toLowerCase() + " " + part.group(4).toLowerCase() + " of " + part.group(2).toLowerCase()
                    + " is renamed to " + part.group(5).toLowerCase());
        }
        return List.of();
    }
}
