package io.sluice.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the plan check found, in a preflight report's {@code plans}: either the comparison, or {@code skipped} with
 * the reason the live database's statistics could not be copied (and nothing else: no plan is compared without them).
 *
 * @param checked      the queries planned at the current version and compared after the release
 * @param regressions  the queries that plan worse after the release, each with the script after which it did
 * @param improved     the queries whose cost fell below {@code 1 / maxCostRatio} of what it was
 * @param unchecked    the queries that do not plan at the current version, with the error (or why they were not sent)
 * @param statistics   where the planner statistics came from: "copied from the live database (N relations, M columns)"
 * @param notes        what the statistics or the comparison leave out: relations larger than the scratch database was
 *                     made, new indexes and columns without statistics, query sources that could not be read
 * @param maxCostRatio the ratio the regressions exceed
 * @param buildMs      time to build the scratch database at the current version
 * @param statisticsMs time to copy the statistics and give the scratch tables their size, at every point
 * @param planMs       time to plan the queries at every point
 * @param scriptsMs    time to apply the pending scripts one by one in the scratch database
 * @param skipped      why nothing was compared (a server before PostgreSQL 18, statistics the role may not read)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlansReport(
        Integer checked,
        List<Regression> regressions,
        List<Improvement> improved,
        List<CompatibilityReport.UncheckedQuery> unchecked,
        String statistics,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes,
        Double maxCostRatio,
        Long buildMs,
        Long statisticsMs,
        Long planMs,
        Long scriptsMs,
        String skipped) {

    public PlansReport {
        regressions = regressions == null ? null : List.copyOf(regressions);
        improved = improved == null ? null : List.copyOf(improved);
        unchecked = unchecked == null ? null : List.copyOf(unchecked);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Nothing compared, and why. */
    public static PlansReport skipped(String reason, List<String> notes) {
        return new PlansReport(null, null, null, null, null, notes, null, null, null, null, null, reason);
    }

    /**
     * @param query      the query, abbreviated
     * @param source     where it came from: {@code queries[3]}, {@code queriesFrom:orders/by_customer.sql},
     *                   {@code pgStatStatements}, {@code probes[0]}
     * @param relation   the relation whose access changed for the worse (an index or bitmap scan become a sequential
     *                   scan first), or null when only the joins or the cost changed
     * @param before     how it was read before: {@code Index Scan using orders_customer_idx on orders (12 rows)}
     * @param after      how it is read after: {@code Seq Scan on orders (12 rows)}; the error when it no longer plans
     * @param changes    every change of shape: each relation's access, the joins' methods and order
     * @param costBefore the plan's total estimated cost before
     * @param costAfter  after; null when it no longer plans
     * @param ratio      {@code costAfter / costBefore}, rounded to two decimals; null when it no longer plans
     * @param script     the first pending script after which it regressed
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Regression(String query, String source, String relation, String before, String after, List<String> changes,
            double costBefore, Double costAfter, Double ratio, String script) {

        public Regression {
            changes = List.copyOf(changes);
        }
    }

    /**
     * @param query      the query, abbreviated
     * @param source     where it came from
     * @param costBefore the plan's total estimated cost before
     * @param costAfter  after the release
     * @param ratio      {@code costAfter / costBefore}, rounded to two decimals
     */
    @RegisterForReflection
    public record Improvement(String query, String source, double costBefore, double costAfter, double ratio) {
    }
}
