package io.sluice.lint;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rule may know about the script around a statement: whether the script runs in a transaction, and
 * what earlier statements did (tables created, explicit transaction blocks, session settings).
 */
public final class LintContext {

    private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?(\\S+)");

    private final String script;
    private final boolean transactional;
    private final List<LintStatement> statements;
    private final SchemaModel schema;
    private final Set<String> createdTables = new HashSet<>();
    private int index;

    LintContext(String script, boolean transactional, List<LintStatement> statements, SchemaModel schema) {
        this.script = script;
        this.transactional = transactional;
        this.statements = statements;
        this.schema = schema;
    }

    /** The schema as the earlier statements (of this script, the scripts before it and the history) leave it. */
    public SchemaModel schema() {
        return schema;
    }

    public String script() {
        return script;
    }

    /** Whether the whole script runs inside one transaction (Flyway's default for scripts without CONCURRENTLY etc.). */
    public boolean transactional() {
        return transactional;
    }

    /** The statements of the script before the current one. */
    public List<LintStatement> before() {
        return statements.subList(0, index);
    }

    /** The statements of the script after the current one. */
    public List<LintStatement> after() {
        return statements.subList(index + 1, statements.size());
    }

    /** Whether {@code table} (as written, upper-cased, schema optional) was created earlier in this script. */
    public boolean createdEarlier(String table) {
        String bare = bare(table);
        return createdTables.contains(table) || createdTables.contains(bare);
    }

    void moveTo(int next) {
        if (next > 0) {
            Matcher created = CREATE_TABLE.matcher(statements.get(next - 1).shape());
            if (created.find()) {
                createdTables.add(created.group(1));
                createdTables.add(bare(created.group(1)));
            }
        }
        index = next;
    }

    private static String bare(String table) {
        String name = table.replace("\"", "");
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
