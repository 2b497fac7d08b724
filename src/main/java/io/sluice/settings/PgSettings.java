package io.sluice.settings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The server's parameters ({@code pg_settings}) and installed extensions, as the config rules see them. */
public record PgSettings(Map<String, Setting> settings, Set<String> extensions, Set<String> availableExtensions) {

    /** One parameter: its text value and the unit PostgreSQL states for it (e.g. "8kB"), or null. */
    public record Setting(String value, String unit) {

        /** The value in bytes, for memory parameters; -1 when the parameter is not a memory size. */
        public long bytes() {
            long multiplier = switch (unit == null ? "" : unit) {
                case "B" -> 1;
                case "kB" -> 1024;
                case "8kB" -> 8192;
                case "16kB" -> 16384;
                case "MB" -> 1024L * 1024;
                case "GB" -> 1024L * 1024 * 1024;
                default -> -1;
            };
            return multiplier < 0 ? -1 : Long.parseLong(value) * multiplier;
        }

        /** The value as a person reads it: "16384 × 8kB" is "128 MB". */
        public String display() {
            long bytes = bytes();
            if (bytes < 0) {
                return unit == null ? value : value + " " + unit;
            }
            return bytes % (1024L * 1024 * 1024) == 0 ? bytes / (1024L * 1024 * 1024) + " GB"
                    : bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " kB";
        }
    }

    public static PgSettings read(Connection connection) throws SQLException {
        Map<String, Setting> settings = new HashMap<>();
        Set<String> installed = new HashSet<>();
        Set<String> available = new HashSet<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT name, setting, unit FROM pg_settings")) {
                while (rs.next()) {
                    settings.put(rs.getString(1), new Setting(rs.getString(2), rs.getString(3)));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT extname FROM pg_extension")) {
                while (rs.next()) {
                    installed.add(rs.getString(1));
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT name FROM pg_available_extensions")) {
                while (rs.next()) {
                    available.add(rs.getString(1));
                }
            }
        }
        return new PgSettings(settings, installed, available);
    }

    public Setting get(String name) {
        return settings.get(name);
    }
}
