package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * {@code plans} on a preflight event: the application's queries planned (generic plans, {@code EXPLAIN (FORMAT JSON,
 * GENERIC_PLAN)}) in a scratch database given the live database's planner statistics, at the current version and after
 * each pending script; a query whose cost grows beyond {@code maxCostRatio} is a {@code PLAN_REGRESSION}.
 *
 * @param queries          the application's queries, inline, one statement each ({@code $1} parameters allowed)
 * @param queriesFrom      a {@code filesystem:} or {@code classpath:} folder of {@code .sql} files, one query each
 * @param pgStatStatements the most called statements of the live database's {@code pg_stat_statements}
 * @param probes           the canary probes (the pipeline passes them)
 * @param maxCostRatio     a query whose estimated cost after the release exceeds this many times its cost before
 *                         regresses (default 2.0, above 1 and at most 1000); below its inverse it improved
 * @param failOnRegression whether a regression is an error (preflight invalid) rather than a warning
 */
@RegisterForReflection
public record PlansRequest(
        List<String> queries,
        MigrationSource queriesFrom,
        CompatibilityRequest.StatStatements pgStatStatements,
        List<String> probes,
        Double maxCostRatio,
        Boolean failOnRegression) implements QuerySources {

    public static final double DEFAULT_MAX_COST_RATIO = 2.0;

    public PlansRequest {
        queries = CompatibilityRequest.checked(queries, "plans", "queries");
        probes = CompatibilityRequest.checked(probes, "plans", "probes");
        if (queries.size() + probes.size() > CompatibilityRequest.MAX_QUERIES) {
            throw new InvalidRequest("field 'plans' holds more than " + CompatibilityRequest.MAX_QUERIES + " queries");
        }
        maxCostRatio = maxCostRatio == null ? DEFAULT_MAX_COST_RATIO : maxCostRatio;
        if (maxCostRatio.isNaN() || maxCostRatio <= 1.0 || maxCostRatio > 1000.0) {
            throw new InvalidRequest("field 'plans.maxCostRatio' must be above 1 and at most 1000 (after/before cost), got "
                    + maxCostRatio);
        }
        failOnRegression = Boolean.TRUE.equals(failOnRegression);
    }

    @Override
    public String field() {
        return "plans";
    }

    public boolean isFailOnRegression() {
        return failOnRegression;
    }
}
