package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.api.MigrationInfoService;
import org.jboss.logging.Logger;

import io.sluice.config.SluiceConfig;
import io.sluice.error.ValidationFailed;
import io.sluice.event.Finding;
import io.sluice.event.TargetVersion;
import io.sluice.event.Timeout;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.MigrationPlanner;
import io.sluice.migration.PreflightInspector;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;

/** Checks the migrations and the database before (and, in later modes, after) a deployment. Reads only. */
@ApplicationScoped
public class ValidateCommand {

    private static final Logger LOG = Logger.getLogger(ValidateCommand.class);
    /** Validation only reads; a short statement timeout keeps a wedged catalog query from eating the Lambda. */
    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(5)),
            Timeout.of(Duration.ofSeconds(60)));

    private final ScriptLoader loader;
    private final DatabaseConnector connector;
    private final UndoPolicy defaultUndoPolicy;

    @Inject
    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, SluiceConfig config) {
        this(loader, connector, config.validate().undoPolicy());
    }

    public ValidateCommand(ScriptLoader loader, DatabaseConnector connector, UndoPolicy defaultUndoPolicy) {
        this.loader = loader;
        this.connector = connector;
        this.defaultUndoPolicy = defaultUndoPolicy;
    }

    public ValidateReport run(ValidateRequest request) {
        ScriptSet scripts = loader.load(request.migrations());
        UndoPolicy undoPolicy = request.undoPolicy() != null ? request.undoPolicy() : defaultUndoPolicy;
        DataSource dataSource = connector.dataSource(request.database(), Duration.ofSeconds(90));
        try (Connection ignored = dataSource.getConnection()) {
            MigrationInfoService info = FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.LATEST, READ_ONLY).info();
            List<Finding> findings = PreflightInspector.inspect(info, scripts, undoPolicy);
            boolean valid = findings.stream().noneMatch(finding -> finding.severity() == Finding.Severity.ERROR);
            ValidateReport report = new ValidateReport(request.deploymentId(), request.mode(), valid,
                    request.database().displayUrl(), request.schema().value(), MigrationPlanner.currentVersion(info),
                    MigrationPlanner.pending(info, scripts), findings);
            LOG.infof("preflight: %s, %d pending, %d finding(s)", valid ? "valid" : "invalid", report.pending().size(),
                    findings.size());
            if (!valid && request.isFailOnInvalid()) {
                throw new ValidationFailed("preflight found " + findings.stream()
                        .filter(finding -> finding.severity() == Finding.Severity.ERROR)
                        .map(finding -> finding.code() + " " + finding.script())
                        .collect(Collectors.joining(", ")) + "; " + findings.get(0).message());
            }
            return report;
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        } catch (RuntimeException e) {
            throw FlywayErrors.translate(e, request.database());
        }
    }
}
