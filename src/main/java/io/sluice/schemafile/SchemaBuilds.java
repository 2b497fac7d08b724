package io.sluice.schemafile;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

import io.sluice.catalog.CatalogReader;
import io.sluice.catalog.Snapshot;
import io.sluice.config.SluiceConfig;
import io.sluice.error.InvalidRequest;
import io.sluice.event.Request;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.scratch.ScratchDatabase;
import io.sluice.scratch.ScratchScripts;

/**
 * Schemas built where they can do no harm, in scratch databases (the request's scratch server, else its database's),
 * and read: the schema the versioned history produces at a version, and the schema a schema file describes.
 */
public final class SchemaBuilds {

    /**
     * A schema built and read.
     *
     * @param snapshot what the catalog holds
     * @param version  the version the history was built to; null for a schema file
     * @param buildMs  the build's time (scripts, or the file's statements)
     * @param readMs   the catalog read's time
     */
    public record Built(Snapshot snapshot, String version, long buildMs, long readMs) {
    }

    private final DatabaseConnector connector;
    private final CatalogReader catalog;
    private final SluiceConfig.Migrate settings;

    public SchemaBuilds(DatabaseConnector connector, CatalogReader catalog, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
    }

    /** The schema the history produces at {@code target} ({@link TargetVersion#LATEST}: every versioned script). */
    public Built history(Request request, ScriptSet scripts, SchemaName schema, TargetVersion target) throws SQLException {
        MigrationVersion upTo = target.isLatest() ? scripts.latestVersion() : MigrationVersion.fromVersion(target.version());
        ScratchScripts.refusal(scripts, upTo, false).ifPresent(refusal -> {
            throw new InvalidRequest("the history cannot be built in a scratch database: " + refusal.message());
        });
        long started = System.nanoTime();
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "a schema build")) {
            DataSource dataSource = scratch.dataSource();
            try {
                FlywaySetup.create(dataSource, scripts, schema, target, SessionSettings.from(settings, null, null)).migrate();
            } catch (FlywayException e) {
                throw scratch.replayFailed("the schema build", upTo == null ? "its end" : upTo.toString(), e);
            }
            long built = System.nanoTime();
            try (Connection connection = dataSource.getConnection()) {
                Snapshot snapshot = catalog.read(connection);
                return new Built(snapshot, upTo == null ? null : upTo.getVersion(), millis(started, built), millis(built, System.nanoTime()));
            }
        }
    }

    /** The schema {@code sql} (a schema file) describes, run in an empty scratch database. */
    public Built file(Request request, String sql, String where) throws SQLException {
        SchemaFile.statements(sql, where);
        long started = System.nanoTime();
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "a schema file's check")) {
            DataSource dataSource = scratch.dataSource();
            try (Connection connection = dataSource.getConnection()) {
                SchemaFile.apply(connection, sql, where, scratch::exceeded);
                long built = System.nanoTime();
                Snapshot snapshot = catalog.read(connection);
                return new Built(snapshot, null, millis(started, built), millis(built, System.nanoTime()));
            }
        }
    }

    private static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
