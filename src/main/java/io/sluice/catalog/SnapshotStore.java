package io.sluice.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import io.sluice.event.DeploymentId;
import io.sluice.event.SchemaName;
import io.sluice.migration.CatalogQueries;

/**
 * Sluice's memory of what each schema version looks like, in tables of its own schema (see {@link StateMigrations}).
 * Rows are only ever added: the snapshot of a version is the newest row for it, and older ones stay as history.
 */
public final class SnapshotStore {

    /** The version label of a schema with no migration applied yet. */
    public static final String NO_VERSION = "0";

    private final SchemaName stateSchema;

    public SnapshotStore(SchemaName stateSchema) {
        this.stateSchema = stateSchema;
    }

    public SchemaName stateSchema() {
        return stateSchema;
    }

    /** A stored snapshot with where it came from. */
    public record Stored(String version, DeploymentId deploymentId, Instant takenAt, String sha256, Snapshot snapshot) {
    }

    /** Creates or upgrades Sluice's tables (versioned scripts in {@code classpath:sluice/state}); safe when invocations race. */
    public void ensureTables(DataSource dataSource) {
        StateMigrations.ensure(dataSource, stateSchema);
    }

    /**
     * Adds {@code snapshot}, as an expected state (no INVALID index), as the newest of {@code version}.
     *
     * @return the SHA-256 of what was stored
     */
    public String record(Connection connection, SchemaName managed, String version, DeploymentId deploymentId, Snapshot snapshot)
            throws SQLException {
        String json = snapshot.withoutInvalidIndexes().toJson();
        String sha256 = Snapshot.sha256(json);
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table("schema_snapshot")
                + " (managed_schema, version, deployment_id, sha256, snapshot) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, managed.value());
            statement.setString(2, version == null ? NO_VERSION : version);
            statement.setString(3, deploymentId.value());
            statement.setString(4, sha256);
            statement.setString(5, json);
            statement.executeUpdate();
        }
        return sha256;
    }

    /** The newest snapshot recorded for {@code version} (null = no version), if any. */
    public Optional<Stored> latest(Connection connection, SchemaName managed, String version) throws SQLException {
        if (!CatalogQueries.tableExists(connection, stateSchema.value(), "schema_snapshot")) {
            return Optional.empty();
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT version, deployment_id, taken_at, sha256, snapshot"
                + " FROM " + table("schema_snapshot") + " WHERE managed_schema = ? AND version = ? ORDER BY id DESC LIMIT 1")) {
            statement.setString(1, managed.value());
            statement.setString(2, version == null ? NO_VERSION : version);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(rs.getString(1), DeploymentId.of(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), Snapshot.fromJson(rs.getString(5))));
            }
        }
    }

    /** Whether a snapshot of {@code version} is recorded, without reading it. */
    public boolean exists(Connection connection, SchemaName managed, String version) throws SQLException {
        return CatalogQueries.tableExists(connection, stateSchema.value(), "schema_snapshot")
                && CatalogQueries.exists(connection, "SELECT 1 FROM " + table("schema_snapshot") + " WHERE managed_schema = ? AND version = ?",
                        managed.value(), version == null ? NO_VERSION : version);
    }

    /** The qualified name of one of Sluice's tables. */
    public String table(String name) {
        return stateSchema.quoted() + "." + name;
    }
}
