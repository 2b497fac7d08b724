package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ALTER ... SET SCHEMA}: every query naming the object by its old schema breaks. */
public final class BanSetSchema extends BaseRule {

    private static final Pattern SET_SCHEMA = regex("^ALTER (TABLE|VIEW|MATERIALIZED VIEW|SEQUENCE|FUNCTION|PROCEDURE|TYPE|DOMAIN|EXTENSION)"
            + " (?:IF EXISTS )?(\\S+?)(?: ?\\(.*\\))? SET SCHEMA (\\S+)$");

    public BanSetSchema() {
        super("ban-set-schema", LintSeverity.ERROR,
                "Moving an object to another schema breaks the code that names it.",
                "Queries that name the object with its schema, or find it on a search_path without the new schema, fail as soon as it moves.",
                "Create the object in the new schema (or a view there), move readers and writers, drop the old one later.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        Matcher matcher = SET_SCHEMA.matcher(statement.shape());
        if (!matcher.find()) {
            return List.of();
        }
        return List.of(matcher.group(1).toLowerCase() + " " + matcher.group(2).toLowerCase() + " moves to schema "
                + matcher.group(3).toLowerCase());
    }
}
