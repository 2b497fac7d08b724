package io.sluice.schemafile;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.SchemaDifference;
import io.sluice.sql.CallerErrors;
import io.sluice.sql.ServerWide;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * A schema as one SQL file ({@code schema.sql}), and back. Written from a snapshot: the statements that create every
 * object from nothing, in dependency order (schemas, extensions, types, sequences, tables with their columns,
 * constraints, indexes, functions, views by depth, triggers, policies), objects of a kind by name, one statement per
 * paragraph, no owners, grants or server settings; so the same schema always gives the same bytes. Read back by
 * running it in an empty scratch database, statement by statement, after checking that it holds a schema only:
 * {@code CREATE}, {@code ALTER} and {@code COMMENT} statements, none reaching beyond its database ({@link ServerWide}).
 */
public final class SchemaFile {

    /** The file's first lines: what it is, the same for every schema. */
    public static final String HEADER = """
            -- schema.sql, written by Sluice: the schema in dependency order, without owners, grants or settings.
            -- The same schema always gives the same file; Sluice compares it with the schema the migrations produce.
            """;
    /** The most a schema file may hold: a generous schema is a few megabytes. */
    public static final int MAX_CHARS = 16 * 1024 * 1024;
    private static final Set<String> SCHEMA_STATEMENTS = Set.of("CREATE", "ALTER", "COMMENT");
    /** How long one statement of a schema file may run: building an empty schema takes milliseconds. */
    static final String STATEMENT_TIMEOUT = "30s";
    private static final Set<String> PARTITION_WORDS = Set.of("in", "from", "to", "with", "modulus", "remainder");
    /** Statements that run a query when they are made: a schema file describes a schema, it never reads data. */
    private static final Pattern RUNS_QUERY = Pattern.compile("^CREATE (?:(?:GLOBAL |LOCAL )?(?:TEMP |TEMPORARY |UNLOGGED )?TABLE"
            + "(?: IF NOT EXISTS)? \\S+(?: \\([^)]*\\))?(?: WITH \\([^)]*\\))? AS\\b|MATERIALIZED VIEW\\b(?!.*\\bWITH NO DATA$))");
    private static final Pattern PARTITION_BOUND = Pattern.compile("\\bFOR VALUES\\b(.*)$");
    /** Notes of objects another statement creates: the file has no line for them. */
    private static final List<String> CREATED_BY_ANOTHER = List.of("created with table", "belongs to a constraint", "created with view");

    private SchemaFile() {
    }

    /** The file of {@code snapshot}. */
    public static String render(Snapshot snapshot) {
        StringBuilder file = new StringBuilder(HEADER);
        for (SchemaDifference object : SchemaDiff.between(snapshot, Snapshot.empty())) {
            String sql = object.reconcileSql();
            if (sql == null) {
                if (CREATED_BY_ANOTHER.stream().noneMatch(object.note()::startsWith)) {
                    file.append('\n').append("-- ").append(Echo.line(object.summary() + ": " + object.note())).append('\n');
                }
                continue;
            }
            // A schema file is read into an empty database: no index build there has writers to spare; and a new database
            // has its public schema already.
            String statement = object.kind().equals("schema") ? sql.replaceFirst("^CREATE SCHEMA ", "CREATE SCHEMA IF NOT EXISTS ")
                    : sql.replace("INDEX CONCURRENTLY ", "INDEX ");
            // A schema file never runs a query: a materialized view is described, not filled.
            if (object.kind().equals("materialized view") && statement.endsWith(";")) {
                statement = statement.substring(0, statement.length() - 1) + "\nWITH NO DATA;";
            }
            file.append('\n').append(statement).append('\n');
        }
        return file.toString();
    }

    /**
     * The statements of a schema file, each checked.
     *
     * @param where how to name the file in an error ("field 'schemaFile' (schema.sql)")
     * @throws InvalidRequest for a statement that is not schema, or that reaches beyond its database; naming its line
     */
    public static List<SqlStatement> statements(String sql, String where) {
        if (sql.length() > MAX_CHARS) {
            throw new InvalidRequest(where + " is larger than " + MAX_CHARS / 1024 / 1024 + " MiB");
        }
        List<SqlStatement> statements = new ArrayList<>();
        for (SqlStatement statement : SqlText.split(sql)) {
            String normalized = statement.normalized();
            if (normalized.isEmpty()) {
                continue;
            }
            String first = normalized.split(" ", 2)[0];
            if (!SCHEMA_STATEMENTS.contains(first)) {
                throw new InvalidRequest(where + ", line " + statement.line() + ": a schema file holds CREATE, ALTER and COMMENT statements"
                        + " only, not " + Echo.value(first));
            }
            if (RUNS_QUERY.matcher(SqlText.shape(SqlText.decoded(statement.text()))).find()) {
                throw new InvalidRequest(where + ", line " + statement.line() + ": a schema file never runs a query (CREATE TABLE ... AS,"
                        + " SELECT INTO and CREATE MATERIALIZED VIEW ... WITH DATA do): write the table's columns, or the view WITH NO DATA");
            }
            Matcher bound = PARTITION_BOUND.matcher(SqlText.shape(SqlText.decoded(statement.text())));
            if (bound.find() && (bound.group(1).contains("SELECT") || SqlText.functionCalls(bound.group(1)).stream()
                    .anyMatch(call -> !PARTITION_WORDS.contains(call)))) {
                throw new InvalidRequest(where + ", line " + statement.line() + ": a partition bound in a schema file is literals only"
                        + " (PostgreSQL evaluates a bound's expression when it creates the partition)");
            }
            List<ServerWide.Reach> reaches = ServerWide.in(statement.text());
            if (!reaches.isEmpty()) {
                throw new InvalidRequest(where + ", line " + reaches.get(0).line(statement.line()) + ": "
                        + reaches.get(0).what() + " acts beyond one database; a schema file describes one");
            }
            Optional<String> opaque = ServerWide.opaque(statement.text());
            if (opaque.isPresent()) {
                throw new InvalidRequest(where + ", line " + statement.line() + ": cannot be shown to stay in one database: "
                        + opaque.get());
            }
            statements.add(statement);
        }
        return statements;
    }

    /** {@link #apply(Connection, String, String, java.util.function.Supplier)} with no bound to name. */
    public static void apply(Connection empty, String sql, String where) throws SQLException {
        apply(empty, sql, where, Optional::empty);
    }

    /**
     * Runs a schema file's statements in {@code empty} (a scratch database), one at a time, each under a statement
     * timeout. A refusal names the file's line and the SQLSTATE, never the server's text (which can quote data).
     *
     * @param exceeded whether the scratch database went past a bound (then that is the reason given)
     */
    public static void apply(Connection empty, String sql, String where, java.util.function.Supplier<java.util.Optional<String>> exceeded)
            throws SQLException {
        List<SqlStatement> statements = statements(sql, where);
        try (Statement statement = empty.createStatement()) {
            statement.execute("SET check_function_bodies = off");
            statement.execute("SET statement_timeout = '" + STATEMENT_TIMEOUT + "'");
            for (SqlStatement each : statements) {
                try {
                    statement.execute(each.text());
                } catch (SQLException e) {
                    String why = exceeded.get().orElseGet(() -> CallerErrors.describe(e, each.text(), 0, each.line()));
                    throw new InvalidRequest(where + ", line " + each.line() + ": PostgreSQL refused it: " + why, e);
                }
            }
        }
    }

}
