package io.sluice.migration;

import java.sql.SQLException;
import java.util.List;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.sluice.error.MigrationFailed;

/**
 * Checks, before and after every script that runs outside a transaction, that no INVALID index appeared since the
 * migrate began. {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} succeeds on an INVALID index left by an interrupted
 * earlier try without building anything; failing here, before Flyway writes the history row, keeps such a script
 * from being recorded as applied.
 */
public final class InvalidIndexGuard extends ScriptCallback {

    private final Footprint footprint;
    private final ScriptSet scripts;

    public InvalidIndexGuard(Footprint footprint, ScriptSet scripts) {
        super("sluice-invalid-index-guard", Event.BEFORE_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE);
        this.footprint = footprint;
        this.scripts = scripts;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        if (migration == null || scripts.find(migration.getScript()).map(scripts::isTransactional).orElse(true)) {
            return;
        }
        List<InvalidIndex> appeared;
        try {
            appeared = footprint.newInvalidIndexes(context.getConnection());
        } catch (SQLException e) {
            throw new MigrationFailed("could not check for INVALID indexes around " + migration.getScript() + ": " + e.getMessage(), e);
        }
        if (!appeared.isEmpty()) {
            String when = event == Event.BEFORE_EACH_MIGRATE ? "before " + migration.getScript() + " ran"
                    : "after " + migration.getScript() + " ran; it is not recorded as applied";
            throw new MigrationFailed(InvalidIndex.describe(appeared) + " Found " + when + ". Migrate again once they are removed.");
        }
    }
}
