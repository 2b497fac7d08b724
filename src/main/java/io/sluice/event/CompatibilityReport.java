package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the compatibility proof found, in a preflight report's {@code compatibility}.
 *
 * @param checked    the running application's queries that prepared at the current version
 * @param compatible of those, the ones that prepare at every point of the release, contract included
 * @param broken     each query a pending script breaks (running application: it prepared before; new release: it does
 *                   not prepare on the expanded schema), with the script and its phase
 * @param unchecked  the running application's queries that do not prepare at the current version, with the error
 * @param notes      what was left out and why (a query source that could not be read)
 * @param buildMs    time to build the scratch database at the current version
 * @param checkMs    time to apply the pending scripts one by one and prepare the queries at each point
 */
@RegisterForReflection
public record CompatibilityReport(
        int checked,
        int compatible,
        List<BrokenQuery> broken,
        List<UncheckedQuery> unchecked,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes,
        long buildMs,
        long checkMs) {

    public CompatibilityReport {
        broken = List.copyOf(broken);
        unchecked = List.copyOf(unchecked);
        notes = List.copyOf(notes);
    }

    /**
     * @param query    the query, abbreviated
     * @param source   where it came from: {@code queries[3]}, {@code queriesFrom:orders/by_status.sql},
     *                 {@code pgStatStatements}, {@code probes[0]}, {@code newQueries[1]}, ...
     * @param error    PostgreSQL's error after {@code brokenBy} ({@code SQLSTATE 42703: column "email" does not exist})
     * @param brokenBy the first script after which it no longer prepares; for a new release's query that does not
     *                 prepare on the expanded schema, the contract script it needs, or null when none makes it prepare
     * @param phase    {@code brokenBy}'s phase; {@code expand} for a new release's query the expand scripts leave broken
     * @param release  {@code running} (the application serving now) or {@code new} (the release being rolled out)
     */
    @RegisterForReflection
    public record BrokenQuery(String query, String source, String error, String brokenBy, Phase phase, String release) {
    }

    /**
     * @param query  the query, abbreviated
     * @param source where it came from
     * @param error  why it does not prepare at the current version (or why it was not run at all)
     */
    @RegisterForReflection
    public record UncheckedQuery(String query, String source, String error) {
    }
}
