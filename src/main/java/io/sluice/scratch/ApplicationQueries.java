package io.sluice.scratch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.CompatibilityRequest;
import io.sluice.event.MigrationSource;
import io.sluice.event.QuerySources;
import io.sluice.event.SchemaName;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptLoader;
import io.sluice.sql.QueryGate;
import io.sluice.sql.SqlText;

/**
 * The application's queries, gathered from where a request says they are: inline, a folder of {@code .sql} files,
 * the live database's {@code pg_stat_statements}, the canary probes. The same query from two sources counts once
 * (the first source names it).
 */
public final class ApplicationQueries {

    /**
     * One query.
     *
     * @param text       the statement, without a trailing {@code ;}
     * @param source     where it came from: {@code queries[3]}, {@code queriesFrom:orders.sql}, {@code pgStatStatements}
     * @param newRelease whether it is the new release's (it must prepare on the expanded schema) or the running one's
     */
    public record Query(String text, String source, boolean newRelease) {
    }

    /** What was gathered, and what could not be, said as notes. */
    public record Gathered(List<Query> queries, List<String> notes) {
    }

    /** Statements PREPARE accepts begin with one of these; anything else in pg_stat_statements is not a query. */
    private static final Pattern PREPARABLE = Pattern.compile("(?is)\\s*\\(*\\s*(select|with|insert|update|delete|values|merge|table)\\b.*");
    /** pg_stat_statements keeps at most {@code pg_stat_statements.max} statements (5000 by default). */
    private static final int MAX_STAT_ROWS = 5_000;
    private static final int QUERY_EXCERPT = 200;

    private ApplicationQueries() {
    }

    /**
     * Every query passes {@link QueryGate} for {@code use}: one given by the event that does not is an
     * {@code InvalidRequest} naming it ({@code plans.queries[5]}, {@code compatibility.queriesFrom:orders.sql}); one
     * captured from {@code pg_stat_statements} is skipped with a note naming its {@code queryid}.
     *
     * @param live the live database (read only), for {@code pg_stat_statements}
     * @param use  where the queries go: prepared or planned in scratch databases, or planned and run on live servers
     */
    public static Gathered gather(QuerySources request, Connection live, SchemaName schema, ScriptLoader loader, QueryGate.Use use)
            throws SQLException {
        Map<String, Query> byText = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        inline(request.queries(), request.field(), "queries", false, use, byText);
        folder(request.queriesFrom(), request.field(), "queriesFrom", false, loader, use, byText);
        if (request.pgStatStatements() != null) {
            for (Captured query : statStatements(live, schema, request.pgStatStatements().top(), notes)) {
                String source = "pgStatStatements:" + query.queryId();
                Optional<String> refusal = QueryGate.refusal(query.text(), use);
                if (refusal.isPresent()) {
                    notes.add(source + " skipped: it " + refusal.get());
                } else {
                    byText.putIfAbsent(key(query.text()), new Query(withoutTerminator(query.text()), source, false));
                }
            }
        }
        inline(request.probes(), request.field(), "probes", false, use, byText);
        inline(request.newQueries(), request.field(), "newQueries", true, use, byText);
        folder(request.newQueriesFrom(), request.field(), "newQueriesFrom", true, loader, use, byText);
        if (byText.size() > CompatibilityRequest.MAX_QUERIES) {
            throw new InvalidRequest("field '" + request.field() + "' gathers more than " + CompatibilityRequest.MAX_QUERIES + " queries");
        }
        return new Gathered(List.copyOf(byText.values()), notes);
    }

    private static void inline(List<String> queries, String object, String field, boolean newRelease, QueryGate.Use use,
            Map<String, Query> byText) {
        for (int i = 0; i < queries.size(); i++) {
            String text = queries.get(i);
            String source = field + "[" + i + "]";
            QueryGate.check(withoutTerminator(text), object + "." + source, use);
            putFirst(byText, text, new Query(withoutTerminator(text), source, newRelease));
        }
    }

    private static void folder(MigrationSource folder, String object, String field, boolean newRelease, ScriptLoader loader,
            QueryGate.Use use, Map<String, Query> byText) {
        if (folder == null) {
            return;
        }
        List<Script> files = loader.sqlFiles(folder, object + "." + field);
        if (files.isEmpty()) {
            throw new InvalidRequest("field '" + object + "." + field + "': " + folder + " holds no .sql file");
        }
        for (Script file : files) {
            String text = CompatibilityRequest.checkedQuery(file.content(), object + "." + field + " file " + Echo.value(file.path()));
            String source = field + ":" + file.path();
            QueryGate.check(withoutTerminator(text), object + "." + source, use);
            putFirst(byText, text, new Query(withoutTerminator(text), source, newRelease));
        }
    }

    private static void putFirst(Map<String, Query> byText, String text, Query query) {
        Query known = byText.get(key(text));
        // The new release's copy of a query the running one has stays the running one's: it must prepare at every point.
        if (known == null) {
            byText.put(key(text), query);
        }
    }

    private static String key(String query) {
        return withoutTerminator(query).replaceAll("\\s+", " ");
    }

    /**
     * The queries of one statement each; each of more than one goes to {@code unchecked}, never sent: a second statement
     * hidden behind the first would run where the first is only {@code verb} ("prepared", "planned").
     */
    public static List<Query> oneStatementEach(List<Query> queries, String verb, List<UncheckedQuery> unchecked) {
        List<Query> single = new ArrayList<>();
        for (Query query : queries) {
            if (SqlText.separatorInside(query.text()) >= 0) {
                unchecked.add(new UncheckedQuery(excerpt(query.text()), query.source(), "more than one statement: a query is one"
                        + " statement, and only one is ever " + verb));
            } else {
                single.add(query);
            }
        }
        return single;
    }

    /** A query on one line, at most 200 characters: what reports and findings show of it. */
    public static String excerpt(String query) {
        String line = query.replaceAll("\\s+", " ").strip();
        return line.length() <= QUERY_EXCERPT ? line : line.substring(0, QUERY_EXCERPT) + "...";
    }

    /** The statement without the {@code ;} (and the comments and blanks) that may end it. */
    public static String withoutTerminator(String query) {
        String text = query.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).strip();
        }
        return text;
    }

    /**
     * The {@code top} most called statements of this database in {@code pg_stat_statements} that name a table or view
     * of {@code schema}; empty with a note when the extension is absent or cannot be read.
     */
    /** A statement captured from {@code pg_stat_statements}, with the id the extension gives it. */
    record Captured(String text, long queryId) {
    }

    static List<Captured> statStatements(Connection live, SchemaName schema, int top, List<String> notes) throws SQLException {
        String extensionSchema = null;
        try (Statement statement = live.createStatement();
                ResultSet rs = statement.executeQuery("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                        + " WHERE e.extname = 'pg_stat_statements'")) {
            if (rs.next()) {
                extensionSchema = rs.getString(1);
            }
        }
        if (extensionSchema == null) {
            notes.add("pgStatStatements skipped: the extension pg_stat_statements is not installed in this database (CREATE"
                    + " EXTENSION pg_stat_statements; RDS's default parameter group preloads its library)");
            return List.of();
        }
        Set<String> relations = relations(live, schema);
        List<Captured> chosen = new ArrayList<>();
        int hidden = 0;
        String sql = "SELECT query, queryid FROM " + quote(extensionSchema) + ".pg_stat_statements"
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY calls DESC LIMIT "
                + MAX_STAT_ROWS;
        // In a transaction, a refusal must not leave it aborted for the checks after this one.
        Savepoint savepoint = live.getAutoCommit() ? null : live.setSavepoint();
        try (Statement statement = live.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next() && chosen.size() < top) {
                String query = rs.getString(1);
                if (query == null || query.startsWith("<insufficient privilege>")) {
                    hidden++;
                } else if (query.length() <= CompatibilityRequest.MAX_QUERY_CHARS && PREPARABLE.matcher(query).matches()
                        && touches(query, schema, relations) && SqlText.separatorInside(withoutTerminator(query)) < 0) {
                    chosen.add(new Captured(query, rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            if (savepoint != null) {
                live.rollback(savepoint);
            }
            notes.add("pgStatStatements skipped: pg_stat_statements cannot be read (SQLSTATE " + e.getSQLState() + ": "
                    + Echo.value(firstLine(e.getMessage())) + "); its library must be in shared_preload_libraries, and the"
                    + " role needs pg_read_all_stats to see other roles' statements");
            return List.of();
        }
        if (hidden > 0) {
            notes.add("pgStatStatements: " + hidden + " statement(s) of other roles are hidden from this role; grant it"
                    + " pg_read_all_stats to check them too");
        }
        if (chosen.isEmpty()) {
            notes.add("pgStatStatements: no recorded statement names a table or view of schema " + schema);
        }
        return chosen;
    }

    private static Set<String> relations(Connection live, SchemaName schema) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement statement = live.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> ?")) {
            statement.setString(1, schema.value());
            statement.setString(2, FlywaySetup.HISTORY_TABLE);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * Whether the query names one of {@code relations}, unqualified or qualified with {@code schema}. A name its
     * FROM, JOIN, INSERT INTO or UPDATE gives is enough: a column qualified by its table ({@code orders.status}) ends
     * in the column, and the table is named again where the query reads it.
     */
    private static boolean touches(String query, SchemaName schema, Set<String> relations) {
        for (String name : SqlText.names(query)) {
            List<String> parts = parts(name);
            String qualifier = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
            if (relations.contains(parts.get(parts.size() - 1)) && (qualifier == null || qualifier.equals(schema.value()))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> parts(String name) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(quoted ? c : Character.toLowerCase(c));
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
