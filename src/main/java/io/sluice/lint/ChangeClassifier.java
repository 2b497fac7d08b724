package io.sluice.lint;

import java.util.Map;
import java.util.regex.Pattern;

import io.sluice.sql.ServerWide;
import io.sluice.sql.SqlText;

/**
 * Classifies a statement as a minor, major, data or destructive change. What runs inside a DO block counts as the
 * block's, and so does what a function the release creates does when the release calls it; SQL built at run time
 * ({@code EXECUTE}), a statement PostgreSQL's grammar does not fully read, and one that acts beyond the database (a
 * grant of a role, however its lint finding is suppressed) count as at least major: what cannot be read cannot be shown
 * to be minor.
 */
final class ChangeClassifier {

    private static final Pattern DESTRUCTIVE = Pattern.compile("^(DROP (TABLE|SCHEMA|DATABASE|MATERIALIZED VIEW)\\b|TRUNCATE\\b"
            + "|ALTER TABLE .*\\bDROP (COLUMN )?(?!CONSTRAINT\\b|NOT\\b|DEFAULT\\b|IDENTITY\\b|EXPRESSION\\b)\\S+)");
    private static final Pattern DATA = Pattern.compile("^(INSERT|UPDATE|DELETE|COPY|MERGE)\\b|^WITH\\b.*\\b(INSERT|UPDATE|DELETE)\\b");
    private static final Pattern SCHEMA_CHANGE = Pattern.compile("^(ALTER|DROP|REINDEX|VACUUM|CLUSTER|CREATE OR REPLACE)\\b");
    private static final Pattern HARMLESS_ALTER = Pattern.compile("^ALTER TABLE \\S+ (ADD (COLUMN )?(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b"
            + "|FOREIGN\\b|CHECK\\b)|VALIDATE CONSTRAINT\\b)");
    /** The same kinds anywhere in a body, where statements follow BEGIN, THEN, LOOP... rather than start the text. */
    private static final Pattern BODY_DESTRUCTIVE = Pattern.compile("\\b(DROP (TABLE|SCHEMA|DATABASE|MATERIALIZED VIEW)\\b|TRUNCATE\\b"
            + "|ALTER TABLE [^;]*\\bDROP (COLUMN )?(?!CONSTRAINT\\b|NOT\\b|DEFAULT\\b|IDENTITY\\b|EXPRESSION\\b)\\S+)");
    private static final Pattern BODY_DATA = Pattern.compile("\\b(INSERT INTO|UPDATE \\S+ (?:AS \\S+ )?SET|DELETE FROM|COPY|MERGE INTO)\\b");
    private static final Pattern BODY_SCHEMA_CHANGE = Pattern.compile("\\b(ALTER|DROP|CREATE|GRANT|REVOKE|REINDEX|VACUUM|CLUSTER)\\b");
    private static final Pattern DO_BLOCK = Pattern.compile("^DO\\b");
    private static final Pattern CREATES_FUNCTION = Pattern.compile("^CREATE (?:OR REPLACE )?(?:FUNCTION|PROCEDURE) (?:\"?[^\\s(.\"]+\"?\\.)?\"?([^\\s(\"]+)");
    /** Statements that run the functions they name now (a trigger or a view only names them for later). */
    private static final Pattern RUNS_NOW = Pattern.compile("^(SELECT|CALL|WITH|INSERT|UPDATE|DELETE|MERGE|VALUES|DO)\\b");
    private static final int MAX_DEPTH = 4;

    private ChangeClassifier() {
    }

    /**
     * @param hasError  whether a rule reported this statement at error level
     * @param functions the functions and procedures the release created so far, by lower-case name, with the class of
     *                  what their bodies do; a CREATE FUNCTION adds its own
     */
    static ChangeClass classify(LintStatement statement, boolean hasError, Map<String, ChangeClass> functions) {
        String shape = statement.shape();
        ChangeClass change = byShape(shape, hasError);
        if (DO_BLOCK.matcher(shape).find()) {
            change = max(change, body(statement.text(), 0));
        }
        java.util.regex.Matcher created = CREATES_FUNCTION.matcher(shape);
        if (created.find()) {
            functions.put(created.group(1).toLowerCase(java.util.Locale.ROOT), body(statement.text(), 0));
        } else if (RUNS_NOW.matcher(shape).find()) {
            for (String call : SqlText.functionCalls(SqlText.withPlainBodies(statement.text()).replaceFirst("(?i)^\\s*CALL\\s+", "SELECT "))) {
                change = max(change, functions.getOrDefault(call, ChangeClass.MINOR));
            }
        }
        if (ServerWide.opaque(statement.text()).isPresent() || !statement.isParsed() || !ServerWide.in(statement.text()).isEmpty()) {
            change = max(change, ChangeClass.MAJOR);
        }
        return change;
    }

    private static ChangeClass byShape(String shape, boolean hasError) {
        if (DESTRUCTIVE.matcher(shape).find()) {
            return ChangeClass.DESTRUCTIVE;
        }
        if (DATA.matcher(shape).find()) {
            return ChangeClass.DATA;
        }
        if (hasError || (SCHEMA_CHANGE.matcher(shape).find() && !HARMLESS_ALTER.matcher(shape).find())) {
            return ChangeClass.MAJOR;
        }
        return ChangeClass.MINOR;
    }

    /** What the bodies (string literals and dollar-quoted bodies) of {@code text} do, read as statements. */
    private static ChangeClass body(String text, int depth) {
        ChangeClass change = ChangeClass.MINOR;
        for (SqlText.Literal literal : SqlText.literals(text)) {
            String shape = SqlText.shape(literal.content());
            if (BODY_DESTRUCTIVE.matcher(shape).find()) {
                return ChangeClass.DESTRUCTIVE;
            }
            if (BODY_DATA.matcher(shape).find()) {
                change = max(change, ChangeClass.DATA);
            } else if (BODY_SCHEMA_CHANGE.matcher(shape).find() || literal.escaped()) {
                change = max(change, ChangeClass.MAJOR);
            }
            if (depth < MAX_DEPTH) {
                change = max(change, body(literal.content(), depth + 1));
            }
        }
        return change;
    }

    private static ChangeClass max(ChangeClass a, ChangeClass b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
