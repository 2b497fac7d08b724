package io.sluice.scratch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.Snapshot;
import io.sluice.catalog.SnapshotStore;
import io.sluice.config.SluiceConfig;
import io.sluice.error.ScratchReplayFailed;
import io.sluice.event.Request;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;

/**
 * The schema a version should have. Migrate records snapshots at its runs' boundaries only (a per-script snapshot is
 * quadratic on long histories), so a version passed in the middle of a run has none: it is rebuilt on demand by
 * applying the scripts up to it in a scratch database and reading the schema there.
 */
public final class ExpectedSchema {

    private static final Logger LOG = Logger.getLogger(ExpectedSchema.class);

    /**
     * A version's expected schema.
     *
     * @param rebuilt whether it was rebuilt from the scripts rather than read from a recorded snapshot
     */
    public record Expected(String version, String sha256, Snapshot snapshot, boolean rebuilt) {
    }

    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final SluiceConfig.Migrate settings;

    public ExpectedSchema(DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
    }

    /**
     * Why {@code version} has no snapshot and cannot get one, or empty when it has or can: a script of that version
     * rebuilds it in a scratch database, unless a script that would run there must not ({@link ScratchScripts}). The
     * state before the first migration is never rebuilt: a database Sluice adopted had objects then that no script made.
     */
    public Optional<String> unavailable(Connection connection, SchemaName schema, ScriptSet scripts, String version) throws SQLException {
        if (catalog.store().exists(connection, schema, version)) {
            return Optional.empty();
        }
        if (!hasScript(scripts, version)) {
            return Optional.of("no schema snapshot is recorded for version " + version + " and no script of that version exists to"
                    + " rebuild it from, so the result could not be verified");
        }
        return ScratchScripts.refusal(scripts, MigrationVersion.fromVersion(version), false)
                .map(refusal -> "no schema snapshot is recorded for version " + version + ", and it is " + refusal.message());
    }

    /**
     * The recorded snapshot of {@code version}, else one rebuilt from the scripts; empty when there is no script of the
     * version to rebuild it from, or a script that would run must not run in a scratch database.
     *
     * @throws ScratchReplayFailed when the scripts cannot be applied in the scratch database, or went past its bounds:
     *                             the message names the version, the script, line and server message, and what to do
     */
    public Optional<Expected> of(Connection connection, Request request, SchemaName schema, ScriptSet scripts, String version)
            throws SQLException {
        Optional<SnapshotStore.Stored> stored = catalog.store().latest(connection, schema, version);
        if (stored.isPresent()) {
            return Optional.of(new Expected(stored.get().version(), stored.get().sha256(), stored.get().snapshot(), false));
        }
        if (!hasScript(scripts, version) || ScratchScripts.refusal(scripts, MigrationVersion.fromVersion(version), false).isPresent()) {
            return Optional.empty();
        }
        Snapshot rebuilt = rebuild(request, schema, scripts, version);
        return Optional.of(new Expected(version, rebuilt.sha256(), rebuilt, true));
    }

    private static boolean hasScript(ScriptSet scripts, String version) {
        return version != null && !version.equals(SnapshotStore.NO_VERSION)
                && scripts.versioned(MigrationVersion.fromVersion(version)).isPresent();
    }

    private Snapshot rebuild(Request request, SchemaName schema, ScriptSet scripts, String version) throws SQLException {
        long started = System.nanoTime();
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "rebuilding the schema of version " + version)) {
            DataSource dataSource = scratch.dataSource();
            try {
                FlywaySetup.create(dataSource, scripts, schema, TargetVersion.parse(version), SessionSettings.from(settings, null, null))
                        .migrate();
            } catch (FlywayException e) {
                ScratchReplayFailed failed = scratch.replayFailed("rebuilding the schema of version " + version, version, e);
                LOG.warnf("%s", failed.getMessage());
                throw failed;
            }
            try (Connection connection = dataSource.getConnection()) {
                Snapshot snapshot = catalog.read(connection).withoutInvalidIndexes();
                LOG.infof("rebuilt the schema of version %s from the scripts in %d ms", version, (System.nanoTime() - started) / 1_000_000);
                return snapshot;
            }
        }
    }
}
