package io.sluice.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Small yes/no questions to the catalog, with bound parameters only. */
public final class CatalogQueries {

    private CatalogQueries() {
    }

    /** Whether {@code sql}, with {@code parameters} bound in order, returns a row. */
    public static boolean exists(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        return exists(connection, "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?", schema, table);
    }
}
