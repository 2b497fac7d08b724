package io.sluice.lint;

import java.util.regex.Pattern;

/** Classifies a statement as a minor, major, data or destructive change. */
final class ChangeClassifier {

    private static final Pattern DESTRUCTIVE = Pattern.compile("^(DROP (TABLE|SCHEMA|DATABASE|MATERIALIZED VIEW)\\b|TRUNCATE\\b"
            + "|ALTER TABLE .*\\bDROP (COLUMN )?(?!CONSTRAINT\\b|NOT\\b|DEFAULT\\b|IDENTITY\\b|EXPRESSION\\b)\\S+)");
    private static final Pattern DATA = Pattern.compile("^(INSERT|UPDATE|DELETE|COPY|MERGE)\\b|^WITH\\b.*\\b(INSERT|UPDATE|DELETE)\\b");
    private static final Pattern SCHEMA_CHANGE = Pattern.compile("^(ALTER|DROP|REINDEX|VACUUM|CLUSTER|CREATE OR REPLACE)\\b");
    private static final Pattern HARMLESS_ALTER = Pattern.compile("^ALTER TABLE \\S+ (ADD (COLUMN )?(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b"
            + "|FOREIGN\\b|CHECK\\b)|VALIDATE CONSTRAINT\\b)");

    private ChangeClassifier() {
    }

    /** @param hasError whether a rule reported this statement at error level */
    static ChangeClass classify(LintStatement statement, boolean hasError) {
        String shape = statement.shape();
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
}
