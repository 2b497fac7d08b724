package io.sluice.command;

import java.sql.Connection;
import java.util.List;

import org.flywaydb.core.api.MigrationInfoService;

import io.sluice.event.PlannedScript;
import io.sluice.migration.ScriptSet;

/**
 * What every validate mode starts from, read once by {@link ValidateCommand}: a read-only connection, the scripts,
 * Flyway's view of the history, the current version and the pending scripts.
 */
record Validation(Connection connection, ScriptSet scripts, MigrationInfoService info, String currentVersion,
        List<PlannedScript> pending) {
}
