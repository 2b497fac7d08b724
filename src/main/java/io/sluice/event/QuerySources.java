package io.sluice.event;

import java.util.List;

/**
 * Where an event says the application's queries are: inline, a folder of {@code .sql} files, the live database's
 * {@code pg_stat_statements}, the canary probes; the compatibility proof and the plan check read the same sources.
 */
public interface QuerySources {

    /** The event field that holds these sources, for errors: {@code compatibility}, {@code plans}. */
    String field();

    /** The running application's queries, inline. */
    List<String> queries();

    /** A {@code filesystem:} or {@code classpath:} folder of {@code .sql} files, one query each; null when absent. */
    MigrationSource queriesFrom();

    /** The most called statements of the live database's {@code pg_stat_statements}; null when absent. */
    CompatibilityRequest.StatStatements pgStatStatements();

    /** The canary probes: queries of the running application too. */
    List<String> probes();

    /** The new release's queries, inline. */
    default List<String> newQueries() {
        return List.of();
    }

    /** A folder of the new release's queries; null when absent. */
    default MigrationSource newQueriesFrom() {
        return null;
    }
}
