package io.sluice.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.flywaydb.core.api.MigrationVersion;

import io.sluice.event.SchemaName;

/**
 * One successful versioned row of Flyway's history, read directly: rollback works on the rows themselves.
 *
 * @param installedRank the row's key
 * @param version       its version
 * @param script        the script that applied it
 * @param json          the whole row as JSON, kept in the rollback audit when the row is removed
 */
public record HistoryRow(int installedRank, MigrationVersion version, String script, String json) {

    /** Applied, successful, versioned rows, highest version first; empty when there is no history table. */
    public static List<HistoryRow> appliedNewestFirst(Connection connection, SchemaName schema) throws SQLException {
        if (!CatalogQueries.tableExists(connection, schema.value(), FlywaySetup.HISTORY_TABLE)) {
            return List.of();
        }
        List<HistoryRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT h.installed_rank, h.version, h.script,"
                + " row_to_json(h)::text FROM " + table(schema) + " h WHERE h.success AND h.version IS NOT NULL"
                + " AND h.type NOT IN ('SCHEMA', 'DELETE')");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(new HistoryRow(rs.getInt(1), MigrationVersion.fromVersion(rs.getString(2)), rs.getString(3), rs.getString(4)));
            }
        }
        rows.sort(Comparator.comparing(HistoryRow::version).reversed());
        return rows;
    }

    /**
     * What the history table holds, in one value: its row count and the SHA-256 of every column of every row in
     * installed order, read in one round trip; empty when there is no history table. Equal fingerprints are the same
     * history, so what Flyway concluded from one holds for the other.
     */
    public static Optional<String> fingerprint(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) || ':' || coalesce(encode(sha256(convert_to("
                + "string_agg(h::text, E'\\n' ORDER BY h.installed_rank), 'UTF8')), 'hex'), '') FROM " + table(schema) + " h");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return Optional.of(rs.getString(1));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Removes this row; what an undo does to the history once its script has run. */
    public void delete(Connection connection, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table(schema) + " WHERE installed_rank = ?")) {
            statement.setInt(1, installedRank);
            statement.executeUpdate();
        }
    }

    private static String table(SchemaName schema) {
        return schema.quoted() + ".\"" + FlywaySetup.HISTORY_TABLE + "\"";
    }
}
