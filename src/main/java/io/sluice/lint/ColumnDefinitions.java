package io.sluice.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;

/**
 * The column definitions a statement introduces or changes: the columns of a CREATE TABLE (from JSqlParser's
 * model when it reads the statement, else from the statement's shape), the columns of ALTER TABLE ... ADD
 * COLUMN, and the new type of ALTER COLUMN ... TYPE.
 */
public final class ColumnDefinitions {

    /** One column: its name and type (upper-case, as written) and the rest of its definition. */
    public record Column(String name, String type, String constraints) {

        /**
         * The type of the column's elements: its type without the array brackets ({@code INT[]}, {@code INTEGER[3]},
         * {@code TIMESTAMP ARRAY} are arrays of {@code INT}, {@code INTEGER}, {@code TIMESTAMP}), which the type rules judge
         * as they judge the element type alone.
         */
        public String elementType() {
            return ARRAY_SUFFIX.matcher(type).replaceFirst("");
        }

        /** Whether the column is a key: named id or *_id, or declared PRIMARY KEY or REFERENCES. */
        public boolean isKey() {
            return name.equals("ID") || name.endsWith("_ID") || constraints.contains("PRIMARY KEY")
                    || constraints.contains("REFERENCES");
        }
    }

    private static final Pattern ARRAY_SUFFIX = Pattern.compile("(?:\\s*\\[\\d*\\])+$|\\s+ARRAY(?:\\s*\\[\\d*\\])?$");
    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?\\S+ ?\\(");
    private static final Pattern ADD_COLUMN = Pattern.compile("\\bADD (?:COLUMN )?(?:IF NOT EXISTS )?(\"[^\"]+\"|[A-Z_][A-Z0-9_$]*) (.+)");
    private static final Pattern ALTER_TYPE = Pattern.compile("\\bALTER (?:COLUMN )?(\\S+) (?:SET DATA )?TYPE (.+?)(?: USING .*)?$");
    private static final Pattern TYPE_END = Pattern.compile(
            " (NOT|NULL|DEFAULT|PRIMARY|REFERENCES|UNIQUE|CHECK|CONSTRAINT|GENERATED|COLLATE)\\b");
    private static final List<String> TABLE_CONSTRAINTS = List.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE");

    private ColumnDefinitions() {
    }

    /** A type change of an ALTER TABLE: the column, the new type, and whether a USING expression converts the values. */
    public record TypeChange(String column, String type, boolean using) {
    }

    private static final Pattern TYPE_CHANGE = Pattern.compile("^ALTER (?:COLUMN )?(\\S+) (?:SET DATA )?TYPE (.+?)( USING .*)?$");

    /** The type changes of an ALTER TABLE statement, in order; empty for any other statement. */
    public static List<TypeChange> typeChanges(LintStatement statement) {
        List<TypeChange> changes = new ArrayList<>();
        for (String clause : clauses(statement)) {
            Matcher change = TYPE_CHANGE.matcher(clause.trim());
            if (change.find()) {
                String type = type(change.group(2).replaceAll(" COLLATE .*$", ""));
                changes.add(new TypeChange(change.group(1), type, change.group(3) != null));
            }
        }
        return changes;
    }

    /** The comma-separated actions of an ALTER TABLE (upper-case shape), or nothing for another statement. */
    public static List<String> clauses(LintStatement statement) {
        String shape = statement.shape();
        if (!shape.startsWith("ALTER TABLE ")) {
            return List.of();
        }
        int afterName = shape.indexOf(' ', shape.startsWith("ALTER TABLE IF EXISTS ") ? "ALTER TABLE IF EXISTS ".length()
                : shape.startsWith("ALTER TABLE ONLY ") ? "ALTER TABLE ONLY ".length() : "ALTER TABLE ".length());
        return afterName < 0 ? List.of() : topLevel(shape.substring(afterName + 1), ',').stream().map(String::trim).toList();
    }

    public static List<Column> of(LintStatement statement) {
        String shape = statement.shape();
        if (CREATE_TABLE.matcher(shape).find()) {
            return statement.ast() instanceof CreateTable table && table.getColumnDefinitions() != null
                    ? fromModel(table) : fromShape(shape);
        }
        List<Column> columns = new ArrayList<>();
        if (shape.startsWith("ALTER TABLE ")) {
            for (String clause : clauses(statement)) {
                Matcher add = ADD_COLUMN.matcher(clause.trim());
                if (add.lookingAt() && !TABLE_CONSTRAINTS.contains(add.group(1))) {
                    columns.add(column(add.group(1), add.group(2)));
                }
                Matcher type = ALTER_TYPE.matcher(clause.trim());
                if (type.find()) {
                    columns.add(new Column(type.group(1), type(type.group(2)), ""));
                }
            }
        }
        return columns;
    }

    private static List<Column> fromModel(CreateTable table) {
        List<Column> columns = new ArrayList<>();
        for (ColumnDefinition definition : table.getColumnDefinitions()) {
            String specs = definition.getColumnSpecs() == null ? "" : String.join(" ", definition.getColumnSpecs());
            columns.add(new Column(definition.getColumnName().toUpperCase(Locale.ROOT),
                    type(definition.getColDataType().toString().toUpperCase(Locale.ROOT)),
                    specs.toUpperCase(Locale.ROOT)));
        }
        return columns;
    }

    private static List<Column> fromShape(String shape) {
        int open = shape.indexOf('(');
        int close = matching(shape, open);
        List<Column> columns = new ArrayList<>();
        for (String element : topLevel(shape.substring(open + 1, close), ',')) {
            String trimmed = element.trim();
            int space = trimmed.indexOf(' ');
            if (space < 0 || TABLE_CONSTRAINTS.contains(trimmed.substring(0, space))) {
                continue;
            }
            columns.add(column(trimmed.substring(0, space), trimmed.substring(space + 1)));
        }
        return columns;
    }

    private static Column column(String name, String definition) {
        Matcher end = TYPE_END.matcher(definition);
        int cut = end.find() ? end.start() : definition.length();
        return new Column(name, type(definition.substring(0, cut)), definition.substring(cut));
    }

    /** A type as the rules compare it: without the {@code pg_catalog.} a dump writes, whitespace collapsed. */
    static String type(String written) {
        if (written.trim().matches("\"[^\"]+\"")) {
            return written.trim().toUpperCase(java.util.Locale.ROOT); // a quoted type ("char") is not its unquoted namesake
        }
        return written.trim().replaceAll("\\s+", " ").replaceFirst("^PG_CATALOG\\.", "").replace("\"", "")
                .replaceAll(" ?\\( ?", "(").replaceAll(" ?, ?", ",").replaceAll(" \\)", ")");
    }

    private static int matching(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '(') {
                depth++;
            } else if (text.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    /** Splits at {@code separator} outside parentheses. */
    static List<String> topLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
