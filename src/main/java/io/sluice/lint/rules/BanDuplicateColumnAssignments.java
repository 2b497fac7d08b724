package io.sluice.lint.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** An UPDATE that sets a column twice, or an INSERT that names one twice: PostgreSQL refuses the statement. */
public final class BanDuplicateColumnAssignments extends BaseRule {

    private static final Pattern UPDATE_SET = regex("^(?:WITH .* )?UPDATE (?:ONLY )?\\S+(?: (?:AS )?\\S+)? SET (.+?)(?: FROM | WHERE | RETURNING |$)");
    private static final Pattern INSERT_COLUMNS = regex("^(?:WITH .* )?INSERT INTO \\S+(?: AS \\S+)? ?\\(([^()]*)\\)");

    public BanDuplicateColumnAssignments() {
        super("ban-duplicate-column-assignments", LintSeverity.ERROR,
                "A column is assigned twice in one statement.",
                "PostgreSQL rejects the statement (multiple assignments to same column): the migration fails where it runs.",
                "Assign each column once.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        List<String> columns = new ArrayList<>();
        Matcher update = UPDATE_SET.matcher(statement.shape());
        if (update.find()) {
            for (String assignment : topLevel(update.group(1))) {
                String target = assignment.split("=", 2)[0].trim();
                for (String column : target.replaceAll("^\\(|\\)$", "").split(",")) {
                    // a[1] and a[2] (or f.x and f.y) are different targets: PostgreSQL accepts them in one SET.
                    columns.add(column.trim().replace(" ", ""));
                }
            }
        } else {
            Matcher insert = INSERT_COLUMNS.matcher(statement.shape());
            if (insert.find()) {
                for (String column : insert.group(1).split(",")) {
                    columns.add(column.trim());
                }
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        for (String column : columns) {
            if (!column.isEmpty() && !seen.add(column)) {
                twice.add(column.toLowerCase());
            }
        }
        return twice.stream().map(column -> "column " + column + " is assigned more than once").toList();
    }

    /** The comma-separated parts of a SET list, commas inside parentheses kept. */
    private static List<String> topLevel(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(list.substring(start));
        return parts;
    }
}
