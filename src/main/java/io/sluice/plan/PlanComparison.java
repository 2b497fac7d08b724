package io.sluice.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.PlansReport.Improvement;
import io.sluice.event.PlansReport.Regression;
import io.sluice.event.SchemaName;
import io.sluice.plan.QueryPlanner.Planned;
import io.sluice.scratch.ApplicationQueries;

/**
 * The application's queries planned on two live databases that hold the same data, each with its own statistics and
 * settings: an engine upgrade's blue (before) and green (after). A query regresses by the plan check's rules (its cost
 * beyond {@code maxCostRatio} times, a large relation read whole where an index bounded it, or no plan at all on
 * green); one that does not plan on blue is unchecked.
 */
public final class PlanComparison {

    /**
     * @param checked     queries planned on both
     * @param regressions worse on green
     * @param improved    cheaper on green beyond the inverse ratio
     * @param unchecked   not planned on blue, with the error
     * @param planMs      time spent planning, both sides
     */
    public record Result(int checked, List<Regression> regressions, List<Improvement> improved, List<UncheckedQuery> unchecked,
            long planMs) {
    }

    private PlanComparison() {
    }

    /** {@code queries} (one statement each) on {@code before} and {@code after}, the relations' sizes from {@code before}. */
    public static Result compare(Connection before, Connection after, SchemaName schema, List<ApplicationQueries.Query> queries,
            double maxCostRatio, String label) throws SQLException {
        Map<String, Double> tuples = tuples(before, schema);
        List<Regression> regressions = new ArrayList<>();
        List<Improvement> improved = new ArrayList<>();
        List<UncheckedQuery> unchecked = new ArrayList<>();
        int checked = 0;
        try (QueryPlanner blue = new QueryPlanner(before, schema); QueryPlanner green = new QueryPlanner(after, schema)) {
            for (ApplicationQueries.Query query : queries) {
                Planned was = blue.plan(query.text());
                if (was.error() != null) {
                    unchecked.add(new UncheckedQuery(ApplicationQueries.excerpt(query.text()), query.source(), was.error()));
                    continue;
                }
                checked++;
                Planned now = green.plan(query.text());
                String excerpt = ApplicationQueries.excerpt(query.text());
                double costBefore = round(was.shape().cost());
                if (now.error() != null) {
                    regressions.add(new Regression(excerpt, query.source(), null, "cost " + costBefore, "no longer plans: " + now.error(),
                            List.of(), costBefore, null, null, label));
                } else if (PlanCheck.regressed(was.shape(), now.shape(), maxCostRatio, relation -> tuples.getOrDefault(relation, 0.0))) {
                    PlanShape.Changes changes = now.shape().changesFrom(was.shape());
                    regressions.add(new Regression(excerpt, query.source(), changes.relation(),
                            changes.before() != null ? changes.before() : "cost " + costBefore,
                            changes.after() != null ? changes.after() : "cost " + round(now.shape().cost()), changes.lines(), costBefore,
                            round(now.shape().cost()), round(PlanCheck.ratio(was.shape(), now.shape())), label));
                } else if (PlanCheck.ratio(was.shape(), now.shape()) < 1 / maxCostRatio) {
                    improved.add(new Improvement(excerpt, query.source(), costBefore, round(now.shape().cost()),
                            round(PlanCheck.ratio(was.shape(), now.shape()))));
                }
            }
            return new Result(checked, regressions, improved, unchecked, (blue.nanos() + green.nanos()) / 1_000_000);
        }
    }

    /** The planner's row count of each table, materialized view and index in {@code schema}. */
    private static Map<String, Double> tuples(Connection connection, SchemaName schema) throws SQLException {
        Map<String, Double> tuples = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname, c.reltuples FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm', 'i')")) {
            statement.setString(1, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    tuples.put(rs.getString(1), rs.getDouble(2));
                }
            }
        }
        return tuples;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
