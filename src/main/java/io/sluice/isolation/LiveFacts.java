package io.sluice.isolation;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What an isolation reads of a server (Sluice's own queries): its major version, its role names, when it started. */
final class LiveFacts {

    private LiveFacts() {
    }

    static int major(Connection connection) throws SQLException {
        return one(connection, "SELECT current_setting('server_version_num')::int / 10000").getInt(1);
    }

    /** {@code pg_postmaster_start_time()} to the microsecond: two servers never share it, one server keeps it until restarted. */
    static String startedAt(Connection connection) throws SQLException {
        return one(connection, "SELECT pg_postmaster_start_time()::text").getString(1);
    }

    static List<String> roles(Connection connection) throws SQLException {
        List<String> roles = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT rolname FROM pg_roles ORDER BY 1")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    private static ResultSet one(Connection connection, String sql) throws SQLException {
        Statement statement = connection.createStatement();
        statement.closeOnCompletion();
        ResultSet rs = statement.executeQuery(sql);
        rs.next();
        return rs;
    }
}
