package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

import io.sluice.event.InfoReport;
import io.sluice.event.InfoRequest;
import io.sluice.event.PlannedScript;
import io.sluice.event.TargetVersion;
import io.sluice.event.Timeout;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.MigrationPlanner;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;

/**
 * Flyway's {@code info} with Sluice's phases: every migration the scripts or the history know, with its state, and the
 * counts a CI step branches on. Reads only: the history table and the catalog, in a read-only session.
 */
public class InfoCommand {

    private static final SessionSettings READ_ONLY = new SessionSettings(Timeout.of(Duration.ofSeconds(5)), Timeout.of(Duration.ofSeconds(60)));

    private final ScriptLoader loader;
    private final DatabaseConnector connector;

    public InfoCommand(ScriptLoader loader, DatabaseConnector connector) {
        this.loader = loader;
        this.connector = connector;
    }

    public InfoReport run(InfoRequest request) {
        long started = System.nanoTime();
        ScriptSet scripts = loader.load(request.migrations());
        DataSource dataSource = connector.reusing(request.database(), Duration.ofSeconds(90));
        try (Connection probe = dataSource.getConnection()) {
            probe.isValid(5);
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        }
        MigrationInfoService info;
        try {
            info = FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.LATEST, READ_ONLY).info();
        } catch (RuntimeException e) {
            throw FlywayErrors.translate(e, request.database());
        }
        List<InfoReport.Migration> migrations = new ArrayList<>();
        int applied = 0;
        int pending = 0;
        int failed = 0;
        int contractPending = 0;
        for (MigrationInfo migration : info.all()) {
            MigrationState state = migration.getState();
            PlannedScript script = migration.getScript() != null && scripts.find(migration.getScript()).isPresent()
                    ? MigrationPlanner.planned(migration, scripts) : null;
            boolean isPending = state == MigrationState.PENDING || state == MigrationState.OUTDATED;
            if (state.isFailed()) {
                failed++;
            } else if (isPending) {
                pending++;
                if (script != null && script.isContract()) {
                    contractPending++;
                }
            } else if (state.isApplied()) {
                applied++;
            }
            migrations.add(new InfoReport.Migration(
                    migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                    migration.getDescription(),
                    migration.getType().name(),
                    migration.getScript(),
                    state.getDisplayName(),
                    script == null ? null : script.phase(),
                    script == null ? null : script.undoScript(),
                    migration.getInstalledOn() == null ? null : migration.getInstalledOn().toInstant().toString(),
                    state.isApplied() || state.isFailed() ? migration.getExecutionTime() : null));
        }
        return new InfoReport(request.deploymentId().value(), request.database().displayUrl(), request.schema().value(),
                MigrationPlanner.currentVersion(info), applied, pending, failed, contractPending, migrations,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
}
