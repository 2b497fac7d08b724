package io.sluice.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.flywaydb.core.api.MigrationVersion;

import io.sluice.event.SchemaName;
import io.sluice.migration.CatalogQueries;

/** What rollback needs to know of backfills: which started and did not finish, and forgetting them once undone. */
public final class BackfillState {

    /** The progress key of the undo of {@code version}, when the undo script is batched too. */
    public static String undoKey(String version) {
        return "U" + version;
    }

    /** A backfill whose batches started and did not finish: its version is not in the history. */
    public record Unfinished(MigrationVersion version, String script, long rowsDone) {
    }

    private BackfillState() {
    }

    /** Unfinished backfills of {@code schema} above {@code target}, newest first. */
    public static List<Unfinished> unfinishedAbove(Connection connection, SchemaName schema, SchemaName stateSchema,
            MigrationVersion target) throws SQLException {
        List<Unfinished> found = new ArrayList<>();
        if (!CatalogQueries.tableExists(connection, stateSchema.value(), "backfill_progress")) {
            return found;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT version, script, rows_done FROM " + stateSchema.quoted()
                + ".backfill_progress WHERE managed_schema = ? AND finished_at IS NULL AND version NOT LIKE 'U%'")) {
            query.setString(1, schema.value());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    MigrationVersion version = MigrationVersion.fromVersion(rs.getString(1));
                    if (version.compareTo(target) > 0) {
                        found.add(new Unfinished(version, rs.getString(2), rs.getLong(3)));
                    }
                }
            }
        }
        found.sort(Comparator.comparing(Unfinished::version).reversed());
        return found;
    }

    /** Removes the progress of {@code version} and of its undo: the version is undone. */
    public static void forget(Connection connection, SchemaName schema, SchemaName stateSchema, String version) throws SQLException {
        if (!CatalogQueries.tableExists(connection, stateSchema.value(), "backfill_progress")) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + stateSchema.quoted() + ".backfill_progress"
                + " WHERE managed_schema = ? AND version IN (?, ?)")) {
            delete.setString(1, schema.value());
            delete.setString(2, version);
            delete.setString(3, undoKey(version));
            delete.executeUpdate();
        }
    }
}
