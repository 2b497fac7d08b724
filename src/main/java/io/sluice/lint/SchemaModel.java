package io.sluice.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the scripts linted so far (and the history before them) say about the schema: each table's column types, and
 * the columns a validated {@code CHECK (col IS NOT NULL)} proves. Rules ask it what a statement changes from: the type
 * a column had before an {@code ALTER COLUMN ... TYPE}, whether a {@code SET NOT NULL} can skip its scan. Names are
 * kept upper-case without quotes or schema; a table the scripts never created is unknown (empty answers).
 */
public final class SchemaModel {

    /** The table's name ends where its column list opens, with or without a space before it: {@code CREATE TABLE a(b int)}. */
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?((?:\"(?:[^\"]|\"\")*\"|[^\\s(.\"]+)(?:\\.(?:\"(?:[^\"]|\"\")*\"|[^\\s(.\"]+))*)");
    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(\\S+)");
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$");
    private static final Pattern NOT_NULL_CHECK = Pattern.compile(
            "\\bADD CONSTRAINT (\\S+) CHECK ?\\( ?\\(?(\\S+?)\\)? IS NOT NULL ?\\)( NOT VALID)?");
    private static final Pattern VALIDATE = Pattern.compile("\\bVALIDATE CONSTRAINT (\\S+)");
    private static final Pattern DROP_COLUMN = Pattern.compile("\\bDROP (?:COLUMN )?(?:IF EXISTS )?(\\S+)");

    private final Map<String, Map<String, String>> columns = new HashMap<>();
    private final Set<String> provenNotNull = new HashSet<>();
    private final Map<String, String> pendingNotNull = new HashMap<>();

    /** The column's type before the current statement, as written (upper-case), when the scripts created it. */
    public Optional<String> type(String table, String column) {
        return Optional.ofNullable(columns.getOrDefault(name(table), Map.of()).get(name(column)));
    }

    /** Whether a validated CHECK (column IS NOT NULL) on the table already proves the column has no NULL. */
    public boolean provenNotNull(String table, String column) {
        return provenNotNull.contains(name(table) + "." + name(column));
    }

    /** Takes in what {@code statement} changes. */
    void apply(LintStatement statement) {
        String shape = statement.shape();
        Matcher created = CREATE_TABLE.matcher(shape);
        if (created.find()) {
            Map<String, String> table = new HashMap<>();
            ColumnDefinitions.of(statement).forEach(column -> table.put(name(column.name()), column.type()));
            columns.put(name(created.group(1)), table);
            return;
        }
        Matcher dropped = DROP_TABLE.matcher(shape);
        if (dropped.find()) {
            for (String table : dropped.group(1).split(", ?")) {
                columns.remove(name(table));
            }
            return;
        }
        Matcher altered = ALTER_TABLE.matcher(shape);
        if (!altered.find()) {
            return;
        }
        String table = name(altered.group(1));
        Map<String, String> known = columns.computeIfAbsent(table, any -> new HashMap<>());
        ColumnDefinitions.of(statement).forEach(column -> known.put(name(column.name()), column.type()));
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher check = NOT_NULL_CHECK.matcher(clause);
            if (check.find()) {
                String column = table + "." + name(check.group(2));
                if (check.group(3) == null) {
                    provenNotNull.add(column);
                } else {
                    pendingNotNull.put(name(check.group(1)), column);
                }
            }
            Matcher validate = VALIDATE.matcher(clause);
            if (validate.find() && pendingNotNull.containsKey(name(validate.group(1)))) {
                provenNotNull.add(pendingNotNull.remove(name(validate.group(1))));
            }
            Matcher drop = DROP_COLUMN.matcher(clause.trim());
            if (drop.lookingAt() && !drop.group(1).equals("CONSTRAINT") && !drop.group(1).equals("DEFAULT")) {
                known.remove(name(drop.group(1)));
            }
        }
    }

    /** Upper-case, unquoted, without a schema: how the model keys tables and columns. */
    static String name(String written) {
        String name = written.trim().replace("\"", "");
        int dot = name.lastIndexOf('.');
        return (dot < 0 ? name : name.substring(dot + 1)).toUpperCase(Locale.ROOT);
    }
}
