package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;
import io.sluice.sql.QueryGate;

/**
 * {@code compatibility} on a preflight event: the application's queries, proven to still prepare on the schema the
 * release leaves. Each query is {@code PREPARE}d (parsed and analysed: tables, columns, types, functions, operators;
 * never executed) in a scratch database built from the scripts, at the current version, after each pending expand
 * script and after each contract script.
 *
 * @param queries          the running application's queries, inline, one statement each ({@code $1} parameters allowed)
 * @param queriesFrom      a {@code filesystem:} or {@code classpath:} folder of {@code .sql} files, one query each
 * @param pgStatStatements the most called statements of the live database's {@code pg_stat_statements}
 * @param probes           the canary probes (the pipeline passes them): queries of the running application too
 * @param newQueries       the new release's queries: each must prepare after the expand scripts
 * @param newQueriesFrom   a folder of the new release's queries
 */
@RegisterForReflection
public record CompatibilityRequest(
        List<String> queries,
        MigrationSource queriesFrom,
        StatStatements pgStatStatements,
        List<String> probes,
        List<String> newQueries,
        MigrationSource newQueriesFrom) implements QuerySources {

    /** At most this many queries in all, inline or read from folders. */
    public static final int MAX_QUERIES = 5_000;
    /** At most this many characters a query. */
    public static final int MAX_QUERY_CHARS = 65_536;

    /**
     * @param top how many of the most called statements that touch the managed schema (1 to 1000)
     */
    @RegisterForReflection
    public record StatStatements(Integer top) {

        public StatStatements {
            top = top == null ? 100 : top;
            if (top < 1 || top > 1000) {
                throw new InvalidRequest("field 'pgStatStatements.top' must be between 1 and 1000, got " + top);
            }
        }
    }

    public CompatibilityRequest {
        queries = checked(queries, "compatibility", "queries");
        probes = checked(probes, "compatibility", "probes");
        newQueries = checked(newQueries, "compatibility", "newQueries");
        if (queries.size() + probes.size() + newQueries.size() > MAX_QUERIES) {
            throw new InvalidRequest("field 'compatibility' holds more than " + MAX_QUERIES + " queries");
        }
    }

    @Override
    public String field() {
        return "compatibility";
    }

    /** Checks one query's size; the folders' files are checked the same way when read. */
    public static String checkedQuery(String query, String where) {
        if (query == null || query.isBlank()) {
            throw new InvalidRequest(where + " is empty");
        }
        if (query.length() > MAX_QUERY_CHARS) {
            throw new InvalidRequest(where + " is longer than " + MAX_QUERY_CHARS + " characters");
        }
        return query;
    }

    /** The inline queries of field {@code field} of event object {@code object}, each checked. */
    static List<String> checked(List<String> queries, String object, String field) {
        if (queries == null) {
            return List.of();
        }
        if (queries.size() > MAX_QUERIES) {
            throw new InvalidRequest("field '" + object + "." + field + "' holds more than " + MAX_QUERIES + " queries");
        }
        for (int i = 0; i < queries.size(); i++) {
            checkedQuery(queries.get(i), "field '" + object + "." + field + "[" + i + "]'");
            // What only scratch databases prepare or plan: a query, or one statement that writes.
            QueryGate.check(queries.get(i).strip().replaceAll(";\\s*$", ""), object + "." + field + "[" + i + "]", QueryGate.Use.PREPARED);
        }
        return List.copyOf(queries);
    }
}
