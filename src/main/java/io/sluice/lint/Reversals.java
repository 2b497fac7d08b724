package io.sluice.lint;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.migration.Script;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * What a versioned script creates (objects, columns, constraints, a column's NOT NULL or default), so that its undo
 * script's drops of exactly those read as the reversal they are:
 * dropping the table a release created is that release undone, not a destructive change of its own. A drop of anything
 * the versioned script did not create (a table that was there before, a column it did not add) is classified and
 * linted like any other statement.
 */
final class Reversals {

    private static final Pattern CREATE = Pattern.compile("^CREATE (?:OR REPLACE )?(?:UNIQUE )?(?:UNLOGGED |TEMP |TEMPORARY )?"
            + "(TABLE|INDEX|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|SEQUENCE|SCHEMA|DOMAIN|TRIGGER|POLICY)"
            + "(?: CONCURRENTLY)?(?: IF NOT EXISTS)? (?!ON\\b)([^\\s(]+)");
    private static final Pattern ADD_COLUMN = Pattern.compile("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b"
            + "|FOREIGN\\b|CHECK\\b|EXCLUDE\\b)(\\S+)");
    private static final Pattern ADD_CONSTRAINT = Pattern.compile("^ADD CONSTRAINT (\\S+)");
    private static final Pattern DROP = Pattern.compile("^DROP (TABLE|INDEX|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|SEQUENCE"
            + "|SCHEMA|DOMAIN)(?: CONCURRENTLY)?(?: IF EXISTS)? (.+?)(?: CASCADE| RESTRICT)?$");
    private static final Pattern DROP_ON = Pattern.compile("^DROP (TRIGGER|POLICY)(?: IF EXISTS)? (\\S+) ON \\S+(?: CASCADE| RESTRICT)?$");
    private static final Pattern DROP_COLUMN = Pattern.compile("^DROP (?:COLUMN )?(?:IF EXISTS )?(?!CONSTRAINT\\b)(\\S+)(?: CASCADE| RESTRICT)?$");
    private static final Pattern DROP_CONSTRAINT = Pattern.compile("^DROP CONSTRAINT (?:IF EXISTS )?(\\S+)(?: CASCADE| RESTRICT)?$");
    /** A column's NOT NULL or default, set by the versioned script and dropped by its undo. */
    private static final Pattern SET_COLUMN = Pattern.compile("^ALTER (?:COLUMN )?(\\S+) SET (NOT NULL|DEFAULT)\\b");
    private static final Pattern DROP_COLUMN_PROPERTY = Pattern.compile("^ALTER (?:COLUMN )?(\\S+) DROP (NOT NULL|DEFAULT)$");

    /** Objects as "KIND NAME", columns as "COLUMN TABLE.NAME": bare names (no schema, no quotes), upper-cased. */
    private final Set<String> created = new HashSet<>();

    private Reversals() {
    }

    /** Nothing created: every drop is a drop. */
    static Reversals none() {
        return new Reversals();
    }

    /** What {@code versioned} creates. */
    static Reversals of(Script versioned) {
        Reversals reversals = new Reversals();
        for (SqlStatement statement : SqlText.split(versioned.content())) {
            LintStatement lint = new LintStatement(statement);
            Matcher create = CREATE.matcher(lint.shape());
            if (create.find()) {
                reversals.created.add(create.group(1) + " " + bare(create.group(2)));
            }
            String table = BaseRule.alteredTable(lint);
            for (String clause : ColumnDefinitions.clauses(lint)) {
                Matcher column = ADD_COLUMN.matcher(clause);
                if (column.find()) {
                    reversals.created.add("COLUMN " + bare(table) + "." + bare(column.group(1)));
                }
                Matcher constraint = ADD_CONSTRAINT.matcher(clause);
                if (constraint.find()) {
                    reversals.created.add("CONSTRAINT " + bare(constraint.group(1)));
                }
                Matcher property = SET_COLUMN.matcher(clause);
                if (property.find()) {
                    reversals.created.add(property.group(2) + " " + bare(table) + "." + bare(property.group(1)));
                }
            }
        }
        return reversals;
    }

    /** Whether {@code statement} (of the undo script) only drops what the versioned script created. */
    boolean reverses(LintStatement statement) {
        String shape = statement.shape().replaceAll(";$", "");
        Matcher drop = DROP.matcher(shape);
        if (drop.find()) {
            String kind = drop.group(1).equals("INDEX") ? "INDEX" : drop.group(1);
            return ColumnDefinitions.topLevel(drop.group(2), ',').stream()
                    .allMatch(name -> created.contains(kind + " " + bare(name.trim().replaceAll("\\s*\\(.*$", ""))));
        }
        Matcher on = DROP_ON.matcher(shape);
        if (on.find()) {
            return created.contains(on.group(1) + " " + bare(on.group(2)));
        }
        String table = BaseRule.alteredTable(statement);
        List<String> clauses = ColumnDefinitions.clauses(statement);
        if (table == null || clauses.isEmpty()) {
            return false;
        }
        return clauses.stream().allMatch(clause -> {
            Matcher property = DROP_COLUMN_PROPERTY.matcher(clause);
            if (property.find()) {
                return created.contains(property.group(2) + " " + bare(table) + "." + bare(property.group(1)));
            }
            Matcher constraint = DROP_CONSTRAINT.matcher(clause);
            if (constraint.find()) {
                return created.contains("CONSTRAINT " + bare(constraint.group(1)));
            }
            Matcher column = DROP_COLUMN.matcher(clause);
            return column.find() && created.contains("COLUMN " + bare(table) + "." + bare(column.group(1)));
        });
    }

    private static String bare(String name) {
        String plain = name.replace("\"", "");
        int dot = plain.lastIndexOf('.');
        return dot < 0 ? plain : plain.substring(dot + 1);
    }
}
