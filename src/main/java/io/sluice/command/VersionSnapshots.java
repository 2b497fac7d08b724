package io.sluice.command;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.Snapshot;

/**
 * Takes a snapshot of the schema right after each versioned script, on the script's own connection (inside its
 * transaction when it has one), so every version a migrate passes through is remembered, not only the last.
 */
final class VersionSnapshots implements Callback {

    private final CatalogReader reader;
    private final Map<String, Snapshot> byVersion = new LinkedHashMap<>();

    VersionSnapshots(CatalogReader reader) {
        this.reader = reader;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_EACH_MIGRATE && context.getMigrationInfo() != null
                && context.getMigrationInfo().getVersion() != null;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        try {
            byVersion.put(migration.getVersion().getVersion(), reader.read(context.getConnection()));
        } catch (SQLException e) {
            throw new IllegalStateException("could not snapshot the schema after " + migration.getScript() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "sluice-version-snapshots";
    }

    /** Snapshots taken, by version, in the order the versions were reached. */
    Map<String, Snapshot> taken() {
        return byVersion;
    }
}
