package io.sluice.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.sluice.event.SchemaName;

/**
 * What the database looked like just before a migrate, kept so that a failure can be reported precisely (which
 * INVALID indexes the failure left) and so that a first migrate that fails leaves no history table behind.
 *
 * @param schemaExisted  whether the managed schema existed
 * @param historyExisted whether Flyway's history table existed
 * @param invalidIndexes INVALID indexes that existed already, as quoted qualified names
 */
public record Footprint(boolean schemaExisted, boolean historyExisted, Set<String> invalidIndexes) {

    public static Footprint capture(Connection connection, SchemaName schema) throws SQLException {
        return new Footprint(
                CatalogQueries.exists(connection, "SELECT 1 FROM pg_namespace WHERE nspname = ?", schema.value()),
                CatalogQueries.tableExists(connection, schema.value(), FlywaySetup.HISTORY_TABLE),
                invalidIndexes(connection));
    }

    /** {@code DROP INDEX CONCURRENTLY} statements for the INVALID indexes that appeared since the capture. */
    public List<String> cleanupOfNewInvalidIndexes(Connection connection) throws SQLException {
        return newInvalidIndexes(connection).stream().map(InvalidIndex::dropStatement).toList();
    }

    /** The INVALID indexes, in any schema, that were not there at the capture. */
    public List<InvalidIndex> newInvalidIndexes(Connection connection) throws SQLException {
        return InvalidIndex.in(connection, null).stream().filter(index -> !invalidIndexes.contains(index.name())).toList();
    }

    /**
     * After a failed first migrate: drops the history table Flyway created if it records nothing but the schema
     * creation, and the schema if Flyway created it and it is empty. A failed non-transactional script's row is
     * history and is kept.
     */
    public void removeEmptyHistory(Connection connection, SchemaName schema) throws SQLException {
        if (historyExisted || !CatalogQueries.tableExists(connection, schema.value(), FlywaySetup.HISTORY_TABLE)) {
            return;
        }
        String table = schema.quoted() + ".\"" + FlywaySetup.HISTORY_TABLE + "\"";
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE type <> 'SCHEMA'")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE " + table);
            if (!schemaExisted && !CatalogQueries.exists(connection, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ?", schema.value())) {
                statement.execute("DROP SCHEMA " + schema.quoted());
            }
        }
    }

    private static Set<String> invalidIndexes(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        for (InvalidIndex index : InvalidIndex.in(connection, null)) {
            names.add(index.name());
        }
        return names;
    }
}
