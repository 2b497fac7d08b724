package io.sluice.lint;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.sql.SqlText;

/** The metadata every rule has, and helpers for the common checks. */
public abstract class BaseRule implements Rule {

    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(\\S+)");

    private final String id;
    private final String summary;
    private final String why;
    private final String fix;
    private final LintSeverity severity;

    protected BaseRule(String id, LintSeverity severity, String summary, String why, String fix) {
        this.id = id;
        this.severity = severity;
        this.summary = summary;
        this.why = why;
        this.fix = fix;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public String why() {
        return why;
    }

    @Override
    public String fix() {
        return fix;
    }

    @Override
    public LintSeverity defaultSeverity() {
        return severity;
    }

    protected static Pattern regex(String regex) {
        return Pattern.compile(regex);
    }

    /** The table an ALTER TABLE statement changes, as written (upper-cased), or null for another statement. */
    protected static String alteredTable(LintStatement statement) {
        Matcher matcher = ALTER_TABLE.matcher(statement.shape());
        return matcher.find() ? matcher.group(1) : null;
    }

    /** An ALTER TABLE on a table that existed before this script: the only kind whose locks hurt. */
    protected static boolean altersExistingTable(LintStatement statement, LintContext context) {
        String table = alteredTable(statement);
        return table != null && !context.createdEarlier(table);
    }

    /**
     * The line of the action of a multi-action statement that names {@code name} after {@code action} (a regex of
     * the words before the name, e.g. {@code DROP\\s+(?:COLUMN\\s+)?}); the statement's first line when not found.
     */
    protected static int lineOf(LintStatement statement, String action, String name) {
        String bare = java.util.Arrays.stream(name.replace("\"", "").split(String.valueOf(SqlText.NAME_BLANK), -1))
                .map(Pattern::quote).collect(java.util.stream.Collectors.joining("\\s+"));
        return statement.lineOf(Pattern.compile("\\b" + action + "(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?\"?" + bare + "\"?(?![A-Z0-9_$])"), 0);
    }

    /** The messages of {@link #problems}, for rules that report each action with its own line. */
    protected final List<String> messages(LintStatement statement, LintContext context) {
        return problems(statement, context).stream().map(Problem::message).toList();
    }

    protected static List<String> when(boolean condition, String message) {
        return condition ? List.of(message) : List.of();
    }
}
