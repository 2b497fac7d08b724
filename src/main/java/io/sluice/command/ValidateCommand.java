package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.api.MigrationInfoService;
import org.jboss.logging.Logger;

import io.sluice.catalog.Contract;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.catalog.SnapshotStore;
import io.sluice.config.SluiceConfig;
import io.sluice.error.DriftDetected;
import io.sluice.error.ValidationFailed;
import io.sluice.event.Finding;
import io.sluice.event.LintReport;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.PlannedScript;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SettingCheck;
import io.sluice.event.TargetVersion;
import io.sluice.event.Timeout;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.files.FileRoots;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.InvalidIndex;
import io.sluice.migration.MigrationPlanner;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.Linter;
import io.sluice.migration.PreflightInspector;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.settings.PgSettings;
import io.sluice.settings.SettingRules;

/**
 * Checks the migrations and the database: before a deployment ({@code preflight}), after it
 * ({@code post-migrate}), on a schedule ({@code drift}) and for its parameters ({@code config}). Reads only; the
 * one exception is {@code proveReversible}, which works in a scratch database it creates and always drops.
 */
@ApplicationScoped
public class ValidateCommand {

    private static final Logger LOG = Logger.getLogger(ValidateCommand.class);
    /** Validation only reads; a short statement timeout keeps a wedged catalog query from eating the Lambda. */
    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(5)),
            Timeout.of(Duration.ofSeconds(60)));

    private final ScriptLoader loader;
    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final UndoPolicy defaultUndoPolicy;
    private final SettingRules settingRules;
    private final ReversibilityProver prover;
    private final LockProbe lockProbe;
    private final Linter linter;
    private final FileRoots fileRoots;

    @Inject
    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config) {
        this(loader, connector, catalog, config.validate().undoPolicy(), new SettingRules(config.settings()), config.migrate(),
                LintPolicy.from(config.lint()), FileRoots.of(config.files().roots()));
    }

    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, UndoPolicy defaultUndoPolicy,
            SettingRules settingRules, SluiceConfig.Migrate migrateSettings, LintPolicy lintPolicy, FileRoots fileRoots) {
        this.fileRoots = fileRoots;
        this.loader = loader;
        this.connector = connector;
        this.catalog = catalog;
        this.defaultUndoPolicy = defaultUndoPolicy;
        this.settingRules = settingRules;
        this.prover = new ReversibilityProver(connector, catalog, migrateSettings);
        this.lockProbe = new LockProbe(connector, migrateSettings);
        this.linter = new Linter(lintPolicy);
    }

    public ValidateReport run(ValidateRequest request) {
        ScriptSet scripts = loader.load(request.migrations());
        DataSource dataSource = connector.dataSource(request.database(), Duration.ofSeconds(90));
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_ONLY.initSql());
            }
            MigrationInfoService info = FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.LATEST, READ_ONLY).info();
            String current = MigrationPlanner.currentVersion(info);
            List<PlannedScript> pending = MigrationPlanner.pending(info, scripts);
            ValidateReport report = switch (request.mode()) {
                case PREFLIGHT -> preflight(request, connection, scripts, info, current, pending);
                case POST_MIGRATE, DRIFT -> compare(request, connection, current, pending);
                case CONFIG -> config(request, connection, current, pending);
            };
            LOG.infof("%s: %s, %d finding(s)", request.mode().json(), report.valid() ? "valid" : "invalid", report.findings().size());
            if (request.isFailOnDrift() && Boolean.TRUE.equals(report.drift())) {
                throw new DriftDetected("schema " + request.schema() + " drifted from the snapshot of version "
                        + report.snapshotVersion() + ": " + report.differences().stream().map(SchemaDifference::summary)
                                .collect(Collectors.joining("; ")));
            }
            if (!report.valid() && request.isFailOnInvalid()) {
                throw new ValidationFailed(request.mode().json() + " found: " + problems(report));
            }
            return report;
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        } catch (RuntimeException e) {
            throw FlywayErrors.translate(e, request.database());
        }
    }

    private ValidateReport preflight(ValidateRequest request, Connection connection, ScriptSet scripts, MigrationInfoService info,
            String current, List<PlannedScript> pending) throws SQLException {
        UndoPolicy undoPolicy = request.undoPolicy() != null ? request.undoPolicy() : defaultUndoPolicy;
        List<Finding> findings = new ArrayList<>(invalidIndexes(connection, request, current));
        findings.addAll(PreflightInspector.inspect(info, scripts, undoPolicy));
        List<ReversibilityCheck> reversibility = null;
        if (request.isProveReversible()) {
            reversibility = prover.prove(request, scripts, current, pending);
            for (ReversibilityCheck check : reversibility) {
                if (Boolean.FALSE.equals(check.reversible())) {
                    findings.add(0, Finding.of(Severity.ERROR, FindingCode.NOT_REVERSIBLE, null, check.script(), check.message()));
                }
            }
        }
        List<Script> pendingScripts = pending.stream().map(script -> scripts.find(script.script()).orElseThrow()).toList();
        LintReport lint = linter.lint(pendingScripts, scripts::isTransactional);
        if (request.isProbeLocks()) {
            lint = lint.withLocks(lockProbe.probe(request, scripts, current, pending));
        }
        ValidateReport report = ValidateReport.of(request, noErrors(findings) && lint.errors() == 0, current, pending, findings)
                .withLint(lint);
        return reversibility == null ? report : report.withReversibility(reversibility);
    }

    private ValidateReport compare(ValidateRequest request, Connection connection, String current, List<PlannedScript> pending)
            throws SQLException {
        Snapshot live = catalog.read(connection);
        List<Finding> findings = new ArrayList<>(invalidIndexes(connection, request, current));
        Optional<SnapshotStore.Stored> stored = catalog.store().latest(connection, request.schema(), current);
        List<SchemaDifference> differences = stored.map(s -> SchemaDiff.between(s.snapshot(), live)).orElse(List.of());
        String version = current == null ? SnapshotStore.NO_VERSION : current;
        if (stored.isEmpty()) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.NO_SNAPSHOT, current, null, "no schema snapshot is recorded for"
                    + " version " + version + " of schema " + request.schema() + "; Sluice records one whenever its migrate"
                    + " reaches a version. Run migrate once to record the current schema."));
        } else if (!differences.isEmpty()) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.SCHEMA_MISMATCH, current, null, differences.size()
                    + " difference(s) from the snapshot of version " + version + "; see differences and reconcileScript"));
        }
        if (request.contract() != null) {
            findings.addAll(Contract.load(request.contract(), fileRoots).check(live, request.schema()));
        }
        Boolean drift = request.mode() == ValidateMode.DRIFT ? stored.isPresent() && !differences.isEmpty() : null;
        return ValidateReport.of(request, noErrors(findings), current, pending, findings)
                .withComparison(version, stored.map(SnapshotStore.Stored::sha256).orElse(null), drift, differences,
                        SchemaDiff.reconcileScript(differences));
    }

    private ValidateReport config(ValidateRequest request, Connection connection, String current, List<PlannedScript> pending)
            throws SQLException {
        List<SettingCheck> checks = settingRules.check(PgSettings.read(connection), request.instanceMemoryMb(),
                request.requiredExtensions());
        boolean valid = checks.stream().noneMatch(check -> !check.ok() && check.severity() == Severity.ERROR);
        return ValidateReport.of(request, valid, current, pending, List.of()).withSettings(checks);
    }

    /** An INVALID index is never an acceptable state, whatever a snapshot says: one error finding each. */
    private static List<Finding> invalidIndexes(Connection connection, ValidateRequest request, String current) throws SQLException {
        return InvalidIndex.in(connection, request.schema().value()).stream()
                .map(index -> new Finding(Severity.ERROR, FindingCode.INVALID_INDEX, current, null, InvalidIndex.describe(List.of(index)),
                        "valid", "INVALID"))
                .toList();
    }

    private static boolean noErrors(List<Finding> findings) {
        return findings.stream().noneMatch(finding -> finding.severity() == Severity.ERROR);
    }

    /** The errors of a report, one clause each, for a ValidationFailed message. */
    private static String problems(ValidateReport report) {
        Stream<String> findings = report.findings().stream().filter(finding -> finding.severity() == Severity.ERROR)
                .map(finding -> finding.code() + (finding.script() != null ? " " + finding.script() : "") + ": " + finding.message());
        Stream<String> settings = report.settings() == null ? Stream.empty() : report.settings().stream()
                .filter(check -> !check.ok() && check.severity() == Severity.ERROR).map(check -> check.rule() + ": " + check.message());
        Stream<String> differences = report.differences() == null ? Stream.empty()
                : report.differences().stream().map(SchemaDifference::summary);
        Stream<String> lint = report.lint() == null ? Stream.empty() : report.lint().findings().stream()
                .filter(finding -> finding.severity().equals("ERROR"))
                .map(finding -> "lint " + finding.rule() + " " + finding.script() + ":" + finding.line());
        return Stream.of(findings, settings, differences, lint).flatMap(s -> s).collect(Collectors.joining("; "));
    }
}
