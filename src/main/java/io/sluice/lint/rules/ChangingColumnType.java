package io.sluice.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/**
 * {@code ALTER COLUMN ... TYPE} on an existing table, one finding per column whose change rewrites the table. The
 * changes PostgreSQL makes without a rewrite pass, when the scripts say what the type was: a longer or unbounded
 * {@code varchar}, {@code varchar} to {@code text}, {@code text} to unbounded {@code varchar}, more {@code numeric}
 * precision at the same scale, an unchanged type. A {@code USING} expression always rewrites.
 */
public final class ChangingColumnType extends BaseRule {

    private static final Pattern VARCHAR = Pattern.compile("^(?:VARCHAR|CHARACTER VARYING)(?: ?\\( ?(\\d+) ?\\))?$");
    private static final Pattern NUMERIC = Pattern.compile("^(?:NUMERIC|DECIMAL)(?: ?\\( ?(\\d+) ?(?:, ?(\\d+) ?)?\\))?$");

    public ChangingColumnType() {
        super("changing-column-type", LintSeverity.ERROR,
                "Changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock.",
                "ALTER COLUMN ... TYPE rewrites the table and its indexes (except binary-compatible changes such as a longer varchar, varchar to text or more numeric precision), blocking all access for the duration.",
                "Add a new column of the new type, backfill it in batches, switch readers and writers, then drop the old column.");
    }

    @Override
    public Premise premise() {
        return Premise.REWRITE;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    /** One finding per column whose change rewrites, on the line of its ALTER COLUMN. */
    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        String table = alteredTable(statement);
        List<Problem> problems = new ArrayList<>();
        for (ColumnDefinitions.TypeChange change : ColumnDefinitions.typeChanges(statement)) {
            Optional<String> before = context.schema().type(table, change.column());
            String column = change.column().toLowerCase();
            int line = lineOf(statement, "ALTER\\s+(?:COLUMN\\s+)?", change.column());
            if (change.using()) {
                problems.add(new Problem(line, "the type change of " + column + " to " + change.type().toLowerCase()
                        + " converts every row (USING) and rewrites " + table.toLowerCase()));
            } else if (before.isEmpty()) {
                problems.add(new Problem(line, "the type change of " + column + " to " + change.type().toLowerCase() + " may rewrite "
                        + table.toLowerCase() + " (the scripts do not say what its type was)"));
            } else if (!withoutRewrite(before.get(), change.type())) {
                problems.add(new Problem(line, "the type change of " + column + " from " + before.get().toLowerCase() + " to "
                        + change.type().toLowerCase() + " rewrites " + table.toLowerCase()));
            }
        }
        return problems;
    }

    /** Whether PostgreSQL changes {@code from} to {@code to} in the catalog only (binary coercible, no narrowing). */
    static boolean withoutRewrite(String from, String to) {
        if (from.equals(to)) {
            return true;
        }
        Matcher fromVarchar = VARCHAR.matcher(from);
        Matcher toVarchar = VARCHAR.matcher(to);
        if (fromVarchar.matches() && (to.equals("TEXT") || toVarchar.matches() && (toVarchar.group(1) == null
                || fromVarchar.group(1) != null && Integer.parseInt(toVarchar.group(1)) >= Integer.parseInt(fromVarchar.group(1))))) {
            return true;
        }
        if (from.equals("TEXT") && toVarchar.matches() && toVarchar.group(1) == null) {
            return true;
        }
        Matcher fromNumeric = NUMERIC.matcher(from);
        Matcher toNumeric = NUMERIC.matcher(to);
        if (fromNumeric.matches() && toNumeric.matches()) {
            if (toNumeric.group(1) == null) {
                return true;
            }
            if (fromNumeric.group(1) == null) {
                return false;
            }
            int fromScale = fromNumeric.group(2) == null ? 0 : Integer.parseInt(fromNumeric.group(2));
            int toScale = toNumeric.group(2) == null ? 0 : Integer.parseInt(toNumeric.group(2));
            return fromScale == toScale && Integer.parseInt(toNumeric.group(1)) >= Integer.parseInt(fromNumeric.group(1));
        }
        return false;
    }
}
