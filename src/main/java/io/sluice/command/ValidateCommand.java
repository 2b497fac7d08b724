package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.api.MigrationInfoService;
import org.jboss.logging.Logger;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.config.SluiceConfig;
import io.sluice.error.ValidationFailed;
import io.sluice.event.ConfigCheckRequest;
import io.sluice.event.DriftRequest;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.PostMigrateRequest;
import io.sluice.event.PreflightRequest;
import io.sluice.event.SchemaDifference;
import io.sluice.event.TargetVersion;
import io.sluice.event.Timeout;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ExportRequest;
import io.sluice.event.ParityRequest;
import io.sluice.event.UpgradeReadinessRequest;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.files.FileRoots;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.Linter;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywayInfos;
import io.sluice.migration.MigrationPlanner;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.plan.PlanCheck;
import io.sluice.scratch.CompatibilityProof;
import io.sluice.scratch.ExpectedSchema;
import io.sluice.scratch.LockProbe;
import io.sluice.scratch.ReversibilityProver;
import io.sluice.settings.SettingRules;
import io.sluice.parity.ParityCheck;
import io.sluice.schemafile.SchemaBuilds;
import io.sluice.schemafile.SchemaExport;
import io.sluice.upgrade.RdsInstances;
import io.sluice.upgrade.SecretRotations;
import io.sluice.upgrade.UpgradeReadiness;

/**
 * Checks the migrations and the database: before a deployment ({@code preflight}), after it
 * ({@code post-migrate}), on a schedule ({@code drift}) and for its parameters ({@code config}). Reads what every
 * mode needs once, hands the request to its mode's command, and turns {@code valid: false} into
 * {@code ValidationFailed} when asked to. Reads only; the scratch databases of the preflight proofs are created and
 * always dropped.
 */
@ApplicationScoped
public class ValidateCommand {

    private static final Logger LOG = Logger.getLogger(ValidateCommand.class);
    /** Validation only reads; a short statement timeout keeps a wedged catalog query from eating the Lambda. */
    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(5)),
            Timeout.of(Duration.ofSeconds(60)));

    private final ScriptLoader loader;
    private final DatabaseConnector connector;
    private final PreflightCommand preflight;
    private final PostMigrateCommand postMigrate;
    private final DriftCommand drift;
    private final ConfigCheckCommand config;
    private final FlywayInfos infos = new FlywayInfos();
    private final UpgradeReadiness readiness;
    private final SchemaExport schemaExport;
    private final ParityCheck parity;

    @Inject
    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config,
            RdsInstances instances, SecretRotations rotations) {
        this(loader, connector, catalog, config.validate().undoPolicy(), new SettingRules(config.settings()), config.migrate(),
                LintPolicy.from(config.lint()), FileRoots.of(config.files().roots()),
                new UpgradeReadiness(instances, config.aws().rdsInstance(), rotations, config.aws().databaseSecretArn(),
                        config.aws().databaseEngineVersion(), java.time.Clock.systemUTC()));
    }

    /** The same without RDS: upgrade readiness checks the database alone. */
    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config) {
        this(loader, connector, catalog, config, RdsInstances.NONE, SecretRotations.NONE);
    }

    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, UndoPolicy defaultUndoPolicy,
            SettingRules settingRules, SluiceConfig.Migrate migrateSettings, LintPolicy lintPolicy, FileRoots fileRoots) {
        this(loader, connector, catalog, defaultUndoPolicy, settingRules, migrateSettings, lintPolicy, fileRoots, new UpgradeReadiness());
    }

    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, UndoPolicy defaultUndoPolicy,
            SettingRules settingRules, SluiceConfig.Migrate migrateSettings, LintPolicy lintPolicy, FileRoots fileRoots,
            UpgradeReadiness readiness) {
        this.loader = loader;
        this.readiness = readiness;
        this.connector = connector;
        this.schemaExport = new SchemaExport(new SchemaBuilds(connector, catalog.reader(), migrateSettings), catalog.reader(), fileRoots);
        this.parity = new ParityCheck(catalog.reader(), settingRules);
        this.preflight = new PreflightCommand(defaultUndoPolicy, new ReversibilityProver(connector, catalog, migrateSettings),
                new LockProbe(connector, migrateSettings), new CompatibilityProof(connector, loader, migrateSettings),
                new PlanCheck(connector, loader, migrateSettings), new Linter(lintPolicy),
                catalog.store().stateSchema(), new SchemaExport(new SchemaBuilds(connector, catalog.reader(), migrateSettings),
                        catalog.reader(), fileRoots));
        ExpectedSchema expectedSchema = new ExpectedSchema(connector, catalog, migrateSettings);
        this.postMigrate = new PostMigrateCommand(catalog, expectedSchema, fileRoots);
        this.drift = new DriftCommand(catalog, expectedSchema);
        this.config = new ConfigCheckCommand(settingRules);
    }

    public ValidateReport run(ValidateRequest request) {
        ScriptSet scripts = loader.load(request.migrations());
        DataSource dataSource = connector.reusing(request.database(), Duration.ofSeconds(90));
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(READ_ONLY.initSql());
            }
            MigrationInfoService info = infos.info(connection, dataSource, request.database(), scripts, request.schema(),
                    TargetVersion.LATEST, READ_ONLY);
            Validation validation = new Validation(connection, scripts, info, MigrationPlanner.currentVersion(info),
                    MigrationPlanner.pending(info, scripts));
            ValidateReport report = byMode(request, validation);
            LOG.infof("%s: %s, %d finding(s)", request.mode().json(), report.valid() ? "valid" : "invalid", report.findings().size());
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

    private ValidateReport byMode(ValidateRequest request, Validation validation) throws SQLException {
        if (request instanceof PreflightRequest preflightRequest) {
            return preflight.run(preflightRequest, validation);
        }
        if (request instanceof PostMigrateRequest postMigrateRequest) {
            return postMigrate.run(postMigrateRequest, validation);
        }
        if (request instanceof DriftRequest driftRequest) {
            return drift.run(driftRequest, validation);
        }
        if (request instanceof UpgradeReadinessRequest readinessRequest) {
            List<Finding> findings = readiness.check(validation.connection(), readinessRequest.targetMajor(),
                    readinessRequest.rdsInstance());
            return ValidateReport.of(request, Finding.noErrors(findings), validation.currentVersion(), validation.pending(), findings);
        }
        if (request instanceof ExportRequest exportRequest) {
            return ValidateReport.of(request, true, validation.currentVersion(), validation.pending(), List.of())
                    .withSchemaFile(schemaExport.export(exportRequest, validation.connection(), validation.scripts()));
        }
        if (request instanceof ParityRequest parityRequest) {
            return parity(parityRequest, validation);
        }
        return config.run((ConfigCheckRequest) request, validation);
    }

    /** {@code parity}: the other database read as this one was (read-only session, its own history). */
    private ValidateReport parity(ParityRequest request, Validation validation) throws SQLException {
        DataSource otherSource = connector.dataSource(request.other(), Duration.ofSeconds(90));
        try (Connection other = otherSource.getConnection()) {
            try (Statement statement = other.createStatement()) {
                statement.execute(READ_ONLY.initSql());
            }
            MigrationInfoService info = infos.info(other, otherSource, request.other(), validation.scripts(), request.schema(),
                    TargetVersion.LATEST, READ_ONLY);
            ParityCheck.Outcome outcome = parity.check(validation.connection(), other, request.other().displayUrl(), request.schema(),
                    validation.currentVersion(), MigrationPlanner.currentVersion(info));
            return ValidateReport.of(request, Finding.noErrors(outcome.findings()), validation.currentVersion(), validation.pending(),
                    outcome.findings()).withParity(outcome.report());
        } catch (SQLException e) {
            throw connector.classify(e, request.other());
        }
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
