package io.sluice.upgrade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import io.sluice.sql.QueryGate;
import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.error.InvalidRequest;
import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.PlansRequest;
import io.sluice.event.PlansReport.Regression;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SettingCheck;
import io.sluice.event.UpgradeRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.migration.ScriptLoader;
import io.sluice.probe.ProbeSession;
import io.sluice.probe.ProbeSessions;
import io.sluice.plan.PlanComparison;
import io.sluice.scratch.ApplicationQueries;
import io.sluice.settings.PgSettings;
import io.sluice.settings.SettingRules;
import io.sluice.upgrade.GreenReport.ProbeTiming;

/**
 * Green checked against blue before a switchover, each on its own live server with its own data:
 * <ol>
 * <li>{@code VACUUM (ANALYZE)} on green (RDS recommends ANALYZE before a switchover: logical replication copies rows, not the
 * planner's statistics), in a read-write transaction of its own, as green's sessions start read-only;</li>
 * <li>the schema: the catalog of both read and diffed, blue as the expected side, with the SQL that makes green's blue's
 * ({@code GREEN_SCHEMA_DIFFERS}, an error);</li>
 * <li>the parameter rules on green's real settings ({@code GREEN_SETTING}, with the rule's severity, for each rule
 * green fails and blue passes: the new parameter group's doing);</li>
 * <li>the application's queries planned on both ({@link PlanComparison}; {@code GREEN_PLAN_REGRESSION});</li>
 * <li>the canary probes' p95 on both, read-only ({@code GREEN_PROBE_FAILED}; {@code GREEN_PROBE_SLOWER} beyond
 * {@value #MAX_P95_VS_BLUE} times blue's and {@value #P95_NOISE_MS} ms more).</li>
 * </ol>
 * Plans and probes run as the deployment's probe role on each side ({@link ProbeSessions}), never as the live database's
 * user: what the release carries reaches the production database only read-only, after the query gate and the VOLATILE
 * check. Regressions and slower probes are warnings when the approvers accepted them ({@code acceptRegressions}); a schema
 * difference and a failing probe never are.
 */
public final class GreenCheck {

    private static final Logger LOG = Logger.getLogger(GreenCheck.class);
    static final double MAX_P95_VS_BLUE = 2.0;
    static final double P95_NOISE_MS = 5.0;
    /** Differences named in findings; the report has them all. */
    private static final int NAMED = 20;
    private static final String PROBE_TIMEOUT = "5s";

    private final CatalogReader catalog;
    private final SettingRules rules;
    private final ScriptLoader loader;
    private final ProbeSessions probeSessions;

    /** @param probeSessions where the plans and probes run: the deployment's probe role on blue and on green */
    public GreenCheck(CatalogReader catalog, SettingRules rules, ScriptLoader loader, ProbeSessions probeSessions) {
        this.catalog = catalog;
        this.rules = rules;
        this.loader = loader;
        this.probeSessions = probeSessions;
    }

    /**
     * @param blueTarget  blue, as the event named it (the live database's credentials: its catalog, settings, statistics)
     * @param greenTarget green, with the same credentials
     * @param blue        a session of {@code blueTarget}
     * @param green       a session of {@code greenTarget}
     */
    public GreenReport check(UpgradeRequest request, BlueGreen deployment, DatabaseTarget blueTarget, DatabaseTarget greenTarget,
            Connection blue, Connection green) throws SQLException {
        String blueEndpoint = blueTarget.url().display();
        List<Finding> findings = new ArrayList<>();
        long analyzing = System.nanoTime();
        int analyzed = analyze(green);
        long analyzeMs = (System.nanoTime() - analyzing) / 1_000_000;

        Snapshot blueSchema = catalog.read(blue);
        Snapshot greenSchema = catalog.read(green);
        List<SchemaDifference> differences = SchemaDiff.between(blueSchema, greenSchema);
        for (int i = 0; i < differences.size() && i < NAMED; i++) {
            SchemaDifference difference = differences.get(i);
            findings.add(Finding.of(Severity.ERROR, FindingCode.GREEN_SCHEMA_DIFFERS, null, null, "green's " + difference.summary()
                    + " (blue is the expected side)" + (difference.reconcileSql() == null ? ": " + difference.note()
                            : "; on green: " + difference.reconcileSql())));
        }
        if (differences.size() > NAMED) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.GREEN_SCHEMA_DIFFERS, null, null, (differences.size() - NAMED)
                    + " more differences: see schemaDifferences and reconcileSql in the report"));
        }

        List<SettingCheck> failed = rules.check(PgSettings.read(green), null, List.of()).stream().filter(check -> !check.ok()).toList();
        Map<String, SettingCheck> blueSettings = new HashMap<>();
        rules.check(PgSettings.read(blue), null, List.of()).forEach(check -> blueSettings.put(check.rule(), check));
        for (SettingCheck check : failed) {
            SettingCheck before = blueSettings.get(check.rule());
            // A rule blue fails as well is the database's, not the upgrade's: config-check reports it; the report lists it.
            if (before == null || before.ok()) {
                findings.add(Finding.of(check.severity(), FindingCode.GREEN_SETTING, null, null, "green's " + check.setting() + " = "
                        + check.value() + (before == null ? "" : " (blue's " + before.value() + ")") + ": " + check.message()
                        + (check.recommendation() == null ? "" : "; " + check.recommendation())));
            }
        }

        Severity regression = request.isAcceptRegressions() ? Severity.WARNING : Severity.ERROR;
        List<UncheckedQuery> unchecked = new ArrayList<>();
        PlansRequest plans = request.plans() != null ? request.plans() : new PlansRequest(null, null, null, null, null, null);
        ApplicationQueries.Gathered gathered = ApplicationQueries.gather(plans, blue, request.schema(), loader, QueryGate.Use.LIVE);
        try (ProbeSession blueProbes = probeSessions.open(blueTarget, request.schema());
                ProbeSession greenProbes = probeSessions.open(greenTarget, request.schema())) {
            List<ApplicationQueries.Query> queries = runnable(gathered.queries(), blueProbes, unchecked);
            List<ApplicationQueries.Query> probes = probeQueries(request.probes());
            for (ApplicationQueries.Query probe : probes) {
                // One blue cannot read is reported when timed: it fails on blue.
                blueProbes.refuseVolatile(probe.text(), probe.source());
            }
            probes.stream().filter(probe -> queries.stream().noneMatch(query -> query.text().equals(probe.text()))).forEach(queries::add);
            PlanComparison.Result compared = PlanComparison.compare(blueProbes.connection(), greenProbes.connection(), request.schema(),
                    queries, plans.maxCostRatio(), "green");
            unchecked.addAll(compared.unchecked());
            for (Regression worse : compared.regressions()) {
                findings.add(Finding.of(regression, FindingCode.GREEN_PLAN_REGRESSION, null, null, "the query (" + worse.source() + ") "
                        + worse.query() + " plans worse on green than on blue: " + (worse.ratio() == null ? worse.after()
                                : "cost " + worse.costBefore() + " → " + worse.costAfter() + " (" + worse.ratio() + "×, limit "
                                        + plans.maxCostRatio() + ")" + (worse.relation() == null ? ""
                                                : "; " + worse.relation() + ": " + worse.before() + " → " + worse.after()))));
            }
            List<ProbeTiming> timings = timed(request, probes, blueProbes, greenProbes, findings, unchecked, regression);

            boolean passed = Finding.noErrors(findings);
            LOG.infof("check-green %s: %s; %d schema difference(s), %d setting(s) failed, %d of %d quer(ies) plan worse, %d probe(s)"
                    + " timed, ANALYZE of %d relation(s) in %d ms", deployment.id(), passed ? "passed" : "failed", differences.size(),
                    failed.size(), compared.regressions().size(), compared.checked(), timings.size(), analyzed, analyzeMs);
            return new GreenReport(deployment.id(), blueEndpoint, deployment.greenEndpoint(), version(blue), version(green), passed,
                    request.isAcceptRegressions(), analyzed, analyzeMs, differences,
                    differences.isEmpty() ? null : SchemaDiff.reconcileScript(differences), failed, compared.checked(),
                    compared.regressions(), compared.improved(), unchecked, timings, findings);
        }
    }

    /**
     * The queries that may be planned on the live servers: one the event gave that calls a VOLATILE function (as blue
     * resolves it) is refused, naming its field; one captured from {@code pg_stat_statements} is left unchecked, saying why.
     */
    private static List<ApplicationQueries.Query> runnable(List<ApplicationQueries.Query> gathered, ProbeSession blue,
            List<UncheckedQuery> unchecked) throws SQLException {
        List<ApplicationQueries.Query> queries = new ArrayList<>();
        for (ApplicationQueries.Query query : gathered) {
            ProbeSession.Check check = blue.check(query.text());
            if (!check.volatileFunctions().isEmpty() && !query.source().startsWith("pgStatStatements:")) {
                throw new InvalidRequest("field 'plans." + query.source() + "' " + check.refusal());
            }
            if (check.refusal() != null) {
                unchecked.add(new UncheckedQuery(ApplicationQueries.excerpt(query.text()), query.source(), check.refusal()));
            } else {
                queries.add(query);
            }
        }
        return queries;
    }

    /** The probes' p95 on blue and on green, with the findings a failing or slower green gives. */
    private static List<ProbeTiming> timed(UpgradeRequest request, List<ApplicationQueries.Query> probes, ProbeSession blue,
            ProbeSession green, List<Finding> findings, List<UncheckedQuery> unchecked, Severity regression) throws SQLException {
        List<ProbeTiming> timings = new ArrayList<>();
        for (ApplicationQueries.Query probe : probes) {
            Timed onBlue = time(blue, probe.text(), request.probeRuns());
            Timed onGreen = time(green, probe.text(), request.probeRuns());
            String excerpt = ApplicationQueries.excerpt(probe.text());
            if (onBlue.error() != null) {
                unchecked.add(new UncheckedQuery(excerpt, probe.source(), "fails on blue: " + onBlue.error()));
                continue;
            }
            timings.add(new ProbeTiming(excerpt, request.probeRuns(), onBlue.p95(), onGreen.error() == null ? onGreen.p95() : null,
                    onGreen.error()));
            if (onGreen.error() != null) {
                findings.add(Finding.of(Severity.ERROR, FindingCode.GREEN_PROBE_FAILED, null, null, "the probe (" + probe.source() + ") "
                        + excerpt + " fails on green and works on blue: " + onGreen.error()));
            } else if (onGreen.p95() > Math.max(onBlue.p95() * MAX_P95_VS_BLUE, onBlue.p95() + P95_NOISE_MS)) {
                findings.add(Finding.of(regression, FindingCode.GREEN_PROBE_SLOWER, null, null, "the probe (" + probe.source() + ") "
                        + excerpt + " has a p95 of " + ms(onGreen.p95()) + " ms on green against " + ms(onBlue.p95()) + " ms on blue"
                        + " (limit " + MAX_P95_VS_BLUE + "× and " + P95_NOISE_MS + " ms more)"));
            }
        }
        return timings;
    }

    private static List<ApplicationQueries.Query> probeQueries(List<String> probes) {
        List<ApplicationQueries.Query> queries = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            queries.add(new ApplicationQueries.Query(ApplicationQueries.withoutTerminator(probes.get(i)), "probes[" + i + "]", false));
        }
        return queries;
    }

    /**
     * VACUUM (ANALYZE) on every table and materialized view of green's user schemas the user may vacuum; how many there
     * are. Logical replication copies rows, neither statistics nor the visibility map: with ANALYZE alone a query blue
     * answers by an index-only scan reads green's heap (a bitmap heap scan at ten times the cost) until autovacuum
     * gets there, and the check called that a plan regression. VACUUM runs outside a transaction, in a session made
     * read-write for it (green's sessions start read-only).
     */
    private static int analyze(Connection green) throws SQLException {
        boolean autoCommit = green.getAutoCommit();
        green.setAutoCommit(true);
        try (Statement statement = green.createStatement()) {
            statement.execute("SET default_transaction_read_only = off");
            statement.execute("SET client_min_messages = error");
            try {
                statement.execute("VACUUM (ANALYZE)");
            } finally {
                statement.execute("RESET client_min_messages");
                statement.execute("RESET default_transaction_read_only");
            }
            green.setAutoCommit(false);
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%' AND pg_has_role(c.relowner, 'USAGE')")) {
                rs.next();
                int count = rs.getInt(1);
                green.commit();
                return count;
            }
        } catch (SQLException e) {
            if (!green.getAutoCommit()) {
                green.rollback();
            }
            throw e;
        } finally {
            green.setAutoCommit(autoCommit);
        }
    }

    private record Timed(double p95, String error) {
    }

    /** {@code runs} runs of {@code probe} in one read-only transaction of the probe role; the p95, or the first SQLSTATE. */
    private static Timed time(ProbeSession session, String probe, int runs) throws SQLException {
        ProbeSession.Timed timed = session.time(probe, runs, PROBE_TIMEOUT);
        return timed.failure() != null ? new Timed(0, timed.failure()) : new Timed(Math.round(timed.p95() * 100) / 100.0, null);
    }

    private static String version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }
}
