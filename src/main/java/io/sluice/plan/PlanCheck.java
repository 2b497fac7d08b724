package io.sluice.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;

import io.sluice.sql.QueryGate;
import io.sluice.config.SluiceConfig;
import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.PlannedScript;
import io.sluice.event.PlansReport;
import io.sluice.event.PlansReport.Improvement;
import io.sluice.event.PlansReport.Regression;
import io.sluice.event.PlansRequest;
import io.sluice.plan.QueryPlanner.Planned;
import io.sluice.event.PreflightRequest;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.scratch.ApplicationQueries;
import io.sluice.scratch.ScratchDatabase;
import io.sluice.scratch.ScratchScripts;

/**
 * Plans the application's queries before and after a release, as the live database would plan them. A scratch
 * database is built at the current version and given the live database's planner statistics and sizes
 * ({@link PlannerStatistics}); each query is planned there as a generic plan ({@code EXPLAIN (FORMAT JSON,
 * GENERIC_PLAN)}: {@code $1} parameters stay parameters). Then the pending scripts are applied one at a time, the sizes
 * restored after each (a rewrite empties a table, a new index resets its table's statistics), and the queries planned
 * again: a query whose cost grows beyond {@code maxCostRatio}, or that no longer plans, regressed, and the script after
 * which it did (and stayed so) is the one that caused it.
 */
public final class PlanCheck {

    private static final Logger LOG = Logger.getLogger(PlanCheck.class);
    /** At most this many regression findings (each is in the report anyway), so that the approval request stays small. */
    static final int MAX_FINDINGS = 50;
    /**
     * A relation read through an index condition before and whole after regresses when the live planner expects at least
     * this many rows in it, whatever the cost says: a LIMIT, or an estimate the release's lost statistics made, can make
     * a plan that reads a million rows look cheap.
     */
    static final double LARGE_ROWS = 10_000;
    /** At most this many new objects named in the note about what has no statistics. */
    private static final int MAX_NAMED = 20;

    /** The check's report, and the findings it adds to preflight's. */
    public record Outcome(PlansReport report, List<Finding> findings) {
    }

    private final DatabaseConnector connector;
    private final ScriptLoader loader;
    private final SluiceConfig.Migrate settings;

    public PlanCheck(DatabaseConnector connector, ScriptLoader loader, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.loader = loader;
        this.settings = settings;
    }

    /**
     * @param live    the live database, read only: its statistics, settings and {@code pg_stat_statements}
     * @param current the current version; null for an empty history
     * @param pending the pending scripts, in order
     */
    public Outcome check(PreflightRequest request, Connection live, ScriptSet scripts, String current, List<PlannedScript> pending)
            throws SQLException {
        PlansRequest plans = request.plans();
        // The query sources first: a folder outside the file roots is refused whatever the server's version.
        ApplicationQueries.Gathered gathered = ApplicationQueries.gather(plans, live, request.schema(), loader, QueryGate.Use.PREPARED);
        long reading = System.nanoTime();
        PlannerStatistics.Read read = PlannerStatistics.read(live, request.schema());
        if (read.unavailable() != null) {
            LOG.infof("plans skipped: %s", read.unavailable());
            return new Outcome(PlansReport.skipped(read.unavailable(), gathered.notes()), List.of());
        }
        PlannerStatistics.Snapshot snapshot = read.snapshot();
        long readMs = millis(reading);
        List<String> notes = new ArrayList<>(gathered.notes());
        List<UncheckedQuery> unchecked = new ArrayList<>();
        List<ApplicationQueries.Query> queries = ApplicationQueries.oneStatementEach(gathered.queries(), "planned", unchecked);
        List<PlannedScript> versioned = pending.stream().filter(script -> script.version() != null).toList();
        Optional<ScratchScripts.Refusal> refusal = ScratchScripts.refusal(scripts, ScratchScripts.highest(current, versioned), false);
        if (refusal.isPresent()) {
            return new Outcome(PlansReport.skipped(refusal.get().message(), notes), List.of());
        }
        if (versioned.isEmpty()) {
            return new Outcome(PlansReport.skipped("no versioned script is pending: the release changes no plan", notes), List.of());
        }
        long started = System.nanoTime();
        SessionSettings session = SessionSettings.from(settings, null, null);
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "plans")) {
            DataSource dataSource = scratch.dataSource();
            if (current != null) {
                try {
                    FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(current), session).migrate();
                } catch (FlywayException e) {
                    return new Outcome(PlansReport.skipped(scratch.replayFailure("the plan check's replay", current, e), notes), List.of());
                }
            }
            long buildMs = millis(started);
            try (Connection connection = dataSource.getConnection()) {
                Run run = new Run(connection, request.schema(), plans, snapshot);
                long statistics = System.nanoTime();
                int columns = PlannerStatistics.restoreColumns(connection, request.schema(), snapshot, notes);
                int relations = PlannerStatistics.restoreRelations(connection, request.schema(), snapshot, notes);
                PlannerStatistics.capped(snapshot, notes);
                PlannerStatistics.applySettings(connection, snapshot);
                run.statisticsNanos += System.nanoTime() - statistics;
                for (ApplicationQueries.Query query : queries) {
                    Planned planned = run.plan(query.text());
                    if (planned.error() != null) {
                        unchecked.add(new UncheckedQuery(ApplicationQueries.excerpt(query.text()), query.source(), planned.error()));
                    } else {
                        run.before.put(query, planned.shape());
                    }
                }
                for (PlannedScript script : versioned) {
                    long applying = System.nanoTime();
                    try {
                        FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(script.version()), session).migrate();
                    } catch (FlywayException e) {
                        return new Outcome(PlansReport.skipped(script.script() + " cannot be applied in the scratch database: "
                                + scratch.failure(e), notes), List.of());
                    }
                    run.scriptsNanos += System.nanoTime() - applying;
                    long restoring = System.nanoTime();
                    PlannerStatistics.restoreRelations(connection, request.schema(), snapshot, notes);
                    run.statisticsNanos += System.nanoTime() - restoring;
                    run.after(script);
                }
                notes.addAll(withoutStatistics(connection, request.schema(), snapshot));
                PlansReport report = new PlansReport(run.before.size(), run.regressions(), run.improved(), unchecked,
                        "copied from the live database (" + relations + " relations, " + columns + " columns)", notes,
                        plans.maxCostRatio(), buildMs, readMs + run.statisticsNanos / 1_000_000, run.planner.nanos() / 1_000_000,
                        run.scriptsNanos / 1_000_000, null);
                LOG.infof("plans: %d quer(ies) planned at version %s and after %d script(s): %d regression(s), %d improved, in"
                        + " scratch database %s (build %d ms, statistics %d ms, planning %d ms, scripts %d ms)", report.checked(),
                        current, versioned.size(), report.regressions().size(), report.improved().size(), scratch.name(), buildMs,
                        report.statisticsMs(), report.planMs(), report.scriptsMs());
                return new Outcome(report, run.findings());
            } catch (SQLException e) {
                if (scratch.exceeded().isEmpty()) {
                    throw e;
                }
                return new Outcome(PlansReport.skipped("not provable: " + scratch.exceeded().get(), notes), List.of());
            }
        }
    }

    /** The state of one check: the plans before, and each query's standing after the scripts so far. */
    private static final class Run {

        private final QueryPlanner planner;
        private final PlansRequest plans;
        private final PlannerStatistics.Snapshot snapshot;
        private final Map<ApplicationQueries.Query, PlanShape> before = new LinkedHashMap<>();
        /** After the last script: each query's plan, or its error. */
        private final Map<ApplicationQueries.Query, Planned> after = new LinkedHashMap<>();
        /** The script after which each regressed query regressed and stayed regressed. */
        private final Map<ApplicationQueries.Query, PlannedScript> since = new LinkedHashMap<>();
        private long statisticsNanos;
        private long scriptsNanos;

        Run(Connection connection, SchemaName schema, PlansRequest plans, PlannerStatistics.Snapshot snapshot) throws SQLException {
            this.plans = plans;
            this.snapshot = snapshot;
            this.planner = new QueryPlanner(connection, schema);
        }

        Planned plan(String query) throws SQLException {
            return planner.plan(query);
        }

        void after(PlannedScript script) throws SQLException {
            for (Map.Entry<ApplicationQueries.Query, PlanShape> entry : before.entrySet()) {
                Planned planned = plan(entry.getKey().text());
                after.put(entry.getKey(), planned);
                if (regressed(entry.getValue(), planned)) {
                    since.putIfAbsent(entry.getKey(), script);
                } else {
                    since.remove(entry.getKey());
                }
            }
        }

        private boolean regressed(PlanShape was, Planned now) {
            return now.error() != null || PlanCheck.regressed(was, now.shape(), plans.maxCostRatio(), relation -> {
                PlannerStatistics.Relation read = snapshot.relations().get(relation);
                return read == null ? 0 : read.tuples();
            });
        }

        List<Regression> regressions() {
            List<Regression> regressions = new ArrayList<>();
            since.forEach((query, script) -> {
                PlanShape was = before.get(query);
                Planned now = after.get(query);
                if (now.error() != null) {
                    regressions.add(new Regression(ApplicationQueries.excerpt(query.text()), query.source(), null, "cost " + cost(was.cost()),
                            "no longer plans: " + now.error(), List.of(), round(was.cost()), null, null, script.script()));
                } else {
                    PlanShape.Changes changes = now.shape().changesFrom(was);
                    regressions.add(new Regression(ApplicationQueries.excerpt(query.text()), query.source(), changes.relation(),
                            changes.before() != null ? changes.before() : "cost " + cost(was.cost()),
                            changes.after() != null ? changes.after() : "cost " + cost(now.shape().cost()), changes.lines(),
                            round(was.cost()), round(now.shape().cost()), round(ratio(was, now.shape())), script.script()));
                }
            });
            return regressions;
        }

        List<Improvement> improved() {
            List<Improvement> improved = new ArrayList<>();
            after.forEach((query, now) -> {
                PlanShape was = before.get(query);
                if (now.error() == null && !since.containsKey(query) && ratio(was, now.shape()) < 1 / plans.maxCostRatio()) {
                    improved.add(new Improvement(ApplicationQueries.excerpt(query.text()), query.source(), round(was.cost()), round(now.shape().cost()),
                            round(ratio(was, now.shape()))));
                }
            });
            return improved;
        }

        List<Finding> findings() {
            Severity severity = plans.isFailOnRegression() ? Severity.ERROR : Severity.WARNING;
            List<Finding> findings = new ArrayList<>();
            List<Regression> regressions = regressions();
            List<PlannedScript> scripts = List.copyOf(since.values());
            for (int i = 0; i < regressions.size() && i < MAX_FINDINGS; i++) {
                Regression regression = regressions.get(i);
                PlannedScript script = scripts.get(i);
                String how = regression.ratio() == null ? regression.after()
                        : "cost " + cost(regression.costBefore()) + " → " + cost(regression.costAfter()) + " (" + regression.ratio()
                                + "×, limit " + plans.maxCostRatio() + ")" + (regression.relation() == null ? ""
                                        : "; " + regression.relation() + ": " + regression.before() + " → " + regression.after())
                                + (regression.ratio() <= plans.maxCostRatio() ? "; " + regression.relation() + " is now read whole,"
                                        + " where an index condition bounded it: the cost estimate understates it" : "");
                findings.add(Finding.of(severity, FindingCode.PLAN_REGRESSION, script.version(), script.script(), "the query ("
                        + regression.source() + ") " + regression.query() + " plans worse after " + script.script() + ", with the live"
                        + " database's statistics: " + how));
            }
            if (regressions.size() > MAX_FINDINGS) {
                findings.add(Finding.of(severity, FindingCode.PLAN_REGRESSION, null, null, (regressions.size() - MAX_FINDINGS)
                        + " more queries plan worse after the release: see plans.regressions in the preflight report"));
            }
            return findings;
        }
    }

    /**
     * What the release creates or retypes that has no statistics in the scratch database, as on the live one right after
     * the deploy, until ANALYZE: new tables, new indexes, new or retyped columns of existing tables.
     */
    private static List<String> withoutStatistics(Connection scratch, SchemaName schema, PlannerStatistics.Snapshot snapshot)
            throws SQLException {
        List<String> named = new ArrayList<>();
        int more = 0;
        try (PreparedStatement statement = PlannerStatistics.managed(scratch, "SELECT CASE c.relkind WHEN 'i' THEN 'index ' WHEN 'I' THEN"
                + " 'index ' WHEN 'm' THEN 'materialized view ' ELSE 'table ' END || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                + " LEFT JOIN pg_class t ON t.oid = i.indrelid WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm', 'i', 'I')"
                + " AND coalesce(t.relname, c.relname) <> ? AND NOT c.relname = ANY (?) ORDER BY c.relname", schema)) {
            statement.setArray(3, scratch.createArrayOf("text", snapshot.relations().keySet().toArray()));
            more += name(statement, named);
        }
        try (PreparedStatement statement = scratch.prepareStatement("SELECT 'column ' || quote_ident(c.relname) || '.'"
                + " || quote_ident(a.attname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm')"
                + " AND c.relname = ANY (?) AND a.attnum > 0 AND NOT a.attisdropped AND NOT EXISTS (SELECT FROM pg_stats s"
                + " WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname)"
                + " AND (NOT EXISTS (SELECT FROM jsonb_to_recordset(?::jsonb) AS l(relname text, attname text)"
                + " WHERE l.relname = c.relname AND l.attname = a.attname)"
                + " OR EXISTS (SELECT FROM jsonb_to_recordset(?::jsonb) AS l(relname text, attname text, type text)"
                + " WHERE l.relname = c.relname AND l.attname = a.attname AND l.type <> format_type(a.atttypid, a.atttypmod)))"
                + " AND EXISTS (SELECT FROM jsonb_to_recordset(?::jsonb) AS l(relname text) WHERE l.relname = c.relname)"
                + " ORDER BY c.relname, a.attnum")) {
            statement.setString(1, schema.value());
            statement.setArray(2, scratch.createArrayOf("text", snapshot.relations().keySet().toArray()));
            statement.setString(3, snapshot.columns());
            statement.setString(4, snapshot.columns());
            statement.setString(5, snapshot.columns());
            more += name(statement, named);
        }
        if (named.isEmpty()) {
            return List.of();
        }
        return List.of("without statistics, as on the live database right after the deploy until ANALYZE runs: "
                + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "") + "; the planner estimates them from"
                + " defaults");
    }

    /** Adds the names {@code statement} finds to {@code named}, up to {@link #MAX_NAMED}; returns how many did not fit. */
    private static int name(PreparedStatement statement, List<String> named) throws SQLException {
        int more = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                if (named.size() < MAX_NAMED) {
                    named.add(rs.getString(1));
                } else {
                    more++;
                }
            }
        }
        return more;
    }

    /**
     * Whether {@code now} is worse than {@code was}: its cost beyond {@code maxCostRatio} times, or a relation the
     * live planner expects at least {@link #LARGE_ROWS} rows in ({@code tuples}) read whole where an index condition
     * bounded it, whatever the cost says.
     */
    static boolean regressed(PlanShape was, PlanShape now, double maxCostRatio, java.util.function.ToDoubleFunction<String> tuples) {
        if (ratio(was, now) > maxCostRatio) {
            return true;
        }
        PlanShape.Changes changes = now.changesFrom(was);
        return changes.whole() && tuples.applyAsDouble(changes.relation()) >= LARGE_ROWS;
    }

    static double ratio(PlanShape before, PlanShape after) {
        return after.cost() / Math.max(before.cost(), 0.01);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String cost(double cost) {
        return String.format(Locale.ROOT, "%.2f", cost);
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
