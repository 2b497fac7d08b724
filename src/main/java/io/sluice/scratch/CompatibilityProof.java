package io.sluice.scratch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;

import io.sluice.sql.CallerErrors;
import io.sluice.sql.QueryGate;
import io.sluice.config.SluiceConfig;
import io.sluice.event.CompatibilityReport;
import io.sluice.event.CompatibilityReport.BrokenQuery;
import io.sluice.event.CompatibilityReport.UncheckedQuery;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.Phase;
import io.sluice.event.PlannedScript;
import io.sluice.event.PreflightRequest;
import io.sluice.event.TargetVersion;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;

/**
 * Proves that the application's queries survive a release. In a scratch database built from the scripts up to the
 * current version, every query is {@code PREPARE}d: parsed and analysed against the schema (tables, columns, types,
 * functions, operators), never executed, so no data is needed. Then the pending scripts are applied one at a time and
 * the queries that still prepared are prepared again after each: the first script after which one fails is the one
 * that broke it. A running application's query broken by an expand script breaks the old release the moment Migrate
 * commits: an error. Broken by a contract script it is expected (Contract runs when the new release serves all
 * traffic). The new release's queries must prepare once the expand scripts are applied.
 */
public final class CompatibilityProof {

    private static final Logger LOG = Logger.getLogger(CompatibilityProof.class);
    /** Parse analysis of one query is milliseconds; this bounds a pathological one (a view nested a thousand deep). */
    private static final String PREPARE_TIMEOUT = "10s";

    /** The proof's report, and the findings it adds to preflight's. */
    public record Outcome(CompatibilityReport report, List<Finding> findings) {
    }

    private final DatabaseConnector connector;
    private final ScriptLoader loader;
    private final SluiceConfig.Migrate settings;

    public CompatibilityProof(DatabaseConnector connector, ScriptLoader loader, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.loader = loader;
        this.settings = settings;
    }

    /**
     * @param live    the live database, read only: {@code pg_stat_statements}
     * @param current the current version; null for an empty history
     * @param pending the pending scripts, in order
     */
    public Outcome prove(PreflightRequest request, Connection live, ScriptSet scripts, String current, List<PlannedScript> pending)
            throws SQLException {
        ApplicationQueries.Gathered gathered = ApplicationQueries.gather(request.compatibility(), live, request.schema(), loader,
                QueryGate.Use.PREPARED);
        List<String> notes = new ArrayList<>(gathered.notes());
        List<UncheckedQuery> unchecked = new ArrayList<>();
        List<ApplicationQueries.Query> running = new ArrayList<>();
        List<ApplicationQueries.Query> newRelease = new ArrayList<>();
        for (ApplicationQueries.Query query : ApplicationQueries.oneStatementEach(gathered.queries(), "prepared", unchecked)) {
            (query.newRelease() ? newRelease : running).add(query);
        }
        List<PlannedScript> versioned = pending.stream().filter(script -> script.version() != null).toList();
        Optional<ScratchScripts.Refusal> refusal = ScratchScripts.refusal(scripts, ScratchScripts.highest(current, versioned), false);
        if (refusal.isPresent()) {
            return notProvable(refusal.get().message(), unchecked, notes, 0);
        }
        long started = System.nanoTime();
        SessionSettings session = SessionSettings.from(settings, null, null);
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "compatibility")) {
            DataSource dataSource = scratch.dataSource();
            if (current != null) {
                try {
                    FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(current), session).migrate();
                } catch (FlywayException e) {
                    return notProvable(scratch.replayFailure("the compatibility proof's replay", current, e), unchecked, notes, 0);
                }
            }
            long buildMs = millis(started);
            long checking = System.nanoTime();
            try (Connection connection = dataSource.getConnection(); Preparer preparer = new Preparer(connection, request)) {
                Run run = new Run(preparer);
                for (ApplicationQueries.Query query : running) {
                    Optional<String> error = preparer.error(query.text());
                    if (error.isPresent()) {
                        unchecked.add(new UncheckedQuery(ApplicationQueries.excerpt(query.text()), query.source(), error.get()));
                    } else {
                        run.passing.add(query);
                    }
                }
                int checked = run.passing.size();
                if (versioned.isEmpty() || versioned.get(0).isContract()) {
                    run.afterExpand(newRelease);
                }
                for (int i = 0; i < versioned.size(); i++) {
                    PlannedScript script = versioned.get(i);
                    try {
                        FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(script.version()), session).migrate();
                    } catch (FlywayException e) {
                        return notProvable(script.script() + " cannot be applied in the scratch database (" + scratch.where() + "): "
                                + scratch.failure(e), unchecked, notes, buildMs);
                    }
                    run.after(script);
                    boolean lastExpand = !script.isContract() && (i + 1 == versioned.size() || versioned.get(i + 1).isContract());
                    if (lastExpand) {
                        run.afterExpand(newRelease);
                    }
                }
                CompatibilityReport report = new CompatibilityReport(checked, run.passing.size(), run.broken(), unchecked, notes, buildMs,
                        millis(checking));
                LOG.infof("compatibility: %d quer(ies) prepared at version %s, %d broken, %d unchecked, in scratch database %s"
                        + " (build %d ms, checks %d ms)", checked, current, report.broken().size(), unchecked.size(), scratch.name(),
                        buildMs, report.checkMs());
                return new Outcome(report, run.findings());
            } catch (SQLException e) {
                if (scratch.exceeded().isPresent()) {
                    return notProvable(scratch.exceeded().get(), unchecked, notes, buildMs);
                }
                throw e;
            }
        }
    }

    /** The state of one proof: which running queries still prepare, and what broke. */
    private static final class Run {

        private final Preparer preparer;
        private final List<ApplicationQueries.Query> passing = new ArrayList<>();
        private final List<BrokenQuery> broken = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        /** The new release's queries that did not prepare on the expanded schema, with that error. */
        private final Map<ApplicationQueries.Query, String> newFailing = new LinkedHashMap<>();

        Run(Preparer preparer) {
            this.preparer = preparer;
        }

        /** After {@code script}: the running queries it breaks, the new ones it makes prepare. */
        void after(PlannedScript script) throws SQLException {
            List<ApplicationQueries.Query> still = new ArrayList<>();
            for (ApplicationQueries.Query query : passing) {
                Optional<String> error = preparer.error(query.text());
                if (error.isEmpty()) {
                    still.add(query);
                    continue;
                }
                broken.add(new BrokenQuery(ApplicationQueries.excerpt(query.text()), query.source(), error.get(), script.script(), script.phase(), "running"));
                if (!script.isContract()) {
                    findings.add(Finding.of(Severity.ERROR, FindingCode.INCOMPATIBLE_QUERY, script.version(), script.script(),
                            "the running application's query (" + query.source() + ") " + ApplicationQueries.excerpt(query.text()) + " prepares at the"
                                    + " current version and fails after " + script.script() + ": " + error.get() + ". The old release"
                                    + " still serves traffic when Migrate commits; move the change to a contract script"
                                    + " ('-- sluice:phase contract') that runs after the new release serves all of it"));
                }
            }
            passing.retainAll(still);
            if (script.isContract()) {
                for (var failing : List.copyOf(newFailing.entrySet())) {
                    if (preparer.error(failing.getKey().text()).isEmpty()) {
                        ApplicationQueries.Query query = failing.getKey();
                        newFailing.remove(query);
                        broken.add(new BrokenQuery(ApplicationQueries.excerpt(query.text()), query.source(), failing.getValue(), script.script(),
                                Phase.CONTRACT, "new"));
                        findings.add(Finding.of(Severity.ERROR, FindingCode.INCOMPATIBLE_QUERY, script.version(), script.script(),
                                "the new release's query (" + query.source() + ") " + ApplicationQueries.excerpt(query.text()) + " prepares only after"
                                        + " contract script " + script.script() + ", and the new release runs on the expanded schema"
                                        + " until Contract: " + failing.getValue() + ". Move what it needs to an expand script"));
                    }
                }
            }
        }

        /** The expanded schema: every new query must prepare here. */
        void afterExpand(List<ApplicationQueries.Query> newRelease) throws SQLException {
            for (ApplicationQueries.Query query : newRelease) {
                preparer.error(query.text()).ifPresent(error -> newFailing.put(query, error));
            }
        }

        List<BrokenQuery> broken() {
            List<BrokenQuery> all = new ArrayList<>(broken);
            newFailing.forEach((query, error) -> all.add(new BrokenQuery(ApplicationQueries.excerpt(query.text()), query.source(), error, null, Phase.EXPAND,
                    "new")));
            return all;
        }

        List<Finding> findings() {
            List<Finding> all = new ArrayList<>(findings);
            newFailing.forEach((query, error) -> all.add(Finding.of(Severity.ERROR, FindingCode.INCOMPATIBLE_QUERY, null, null,
                    "the new release's query (" + query.source() + ") " + ApplicationQueries.excerpt(query.text()) + " does not prepare after the expand"
                            + " scripts, nor after the contract scripts: " + error)));
            return all;
        }
    }

    /** Prepares queries on one connection of the scratch database, each under a statement timeout, and forgets them. */
    private static final class Preparer implements AutoCloseable {

        private static final String PREPARE = "PREPARE sluice_compatibility AS ";

        private final Statement statement;

        Preparer(Connection connection, PreflightRequest request) throws SQLException {
            this.statement = connection.createStatement();
            statement.execute("SET search_path TO " + request.schema().quoted() + ", public");
            statement.execute("SET statement_timeout TO '" + PREPARE_TIMEOUT + "'");
        }

        /**
         * Why {@code query} does not prepare, or empty when it does: its SQLSTATE and where in its own text, never the
         * server's message.
         */
        Optional<String> error(String query) throws SQLException {
            try {
                statement.execute(PREPARE + query);
            } catch (SQLException e) {
                if (CallerErrors.isConnectionLost(e)) {
                    throw e;
                }
                return Optional.of(CallerErrors.describe(e, query, PREPARE.length()));
            }
            statement.execute("DEALLOCATE sluice_compatibility");
            return Optional.empty();
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    private static Outcome notProvable(String reason, List<UncheckedQuery> unchecked, List<String> notes, long buildMs) {
        List<String> all = new ArrayList<>(notes);
        // A scratch refusal already says so ("not provable: V3__roles.sql line 2: ...").
        all.add(reason.startsWith("not provable: ") ? reason : "not provable: " + reason);
        return new Outcome(new CompatibilityReport(0, 0, List.of(), unchecked, all, buildMs, 0),
                List.of(Finding.of(Severity.ERROR, FindingCode.INCOMPATIBLE_QUERY, null, null, "the compatibility of the application's"
                        + " queries cannot be proven: " + reason)));
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
