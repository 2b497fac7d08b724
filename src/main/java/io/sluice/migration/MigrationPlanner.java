package io.sluice.migration;

import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

import io.sluice.event.PlannedScript;

/** Turns Flyway's view of history and scripts into the plan Sluice reports. */
public final class MigrationPlanner {

    private MigrationPlanner() {
    }

    /** The scripts a migrate would apply, in order: pending versioned scripts up to the target, then repeatables. */
    public static List<PlannedScript> pending(MigrationInfoService info, ScriptSet scripts) {
        List<PlannedScript> plan = new ArrayList<>();
        for (MigrationInfo migration : info.all()) {
            if (migration.getState() == MigrationState.PENDING || migration.getState() == MigrationState.OUTDATED) {
                plan.add(planned(migration, scripts));
            }
        }
        return plan;
    }

    /** One of {@code info}'s migrations as a script to apply: its checksum, undo script and phase. */
    public static PlannedScript planned(MigrationInfo migration, ScriptSet scripts) {
        Script script = scripts.find(migration.getScript()).orElseThrow(() -> new IllegalStateException(
                "Flyway resolved " + migration.getScript() + " which Sluice did not load"));
        String undo = migration.getVersion() == null ? null
                : scripts.undoFor(migration.getVersion()).map(Script::path).orElse(null);
        Integer checksum = migration.getResolvedChecksum() != null ? migration.getResolvedChecksum() : migration.getChecksum();
        return new PlannedScript(
                migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                migration.getDescription(),
                migration.getScript(),
                checksum == null ? 0 : checksum,
                scripts.isTransactional(script),
                undo,
                null,
                script.phase());
    }

    /** The current schema version, or null when nothing versioned has been applied. */
    public static String currentVersion(MigrationInfoService info) {
        MigrationInfo current = info.current();
        if (current == null || current.getVersion() == null || current.getType().isSynthetic() && !current.getType().isBaseline()) {
            return null;
        }
        return current.getVersion().getVersion();
    }
}
