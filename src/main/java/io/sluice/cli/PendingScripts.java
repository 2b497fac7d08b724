package io.sluice.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.SluiceException;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.SchemaName;
import io.sluice.migration.CatalogQueries;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.roles.OwnRoles;

/**
 * What a database's Flyway history has applied, read with the user's credentials: the scripts {@code lint --pending}
 * reads as history rather than linting them (an applied script cannot change).
 */
final class PendingScripts {

    /** The database could not be reached or read: exit 3. */
    static final class Unreadable extends Exception {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PendingScripts() {
    }

    /**
     * The scripts (as the loader names them, by their file name in the history) that the history at
     * {@code schema}.{@value FlywaySetup#HISTORY_TABLE} holds as applied successfully; none when there is no history.
     */
    static Set<String> applied(String url, String user, String password, String schema, String folder) throws Unreadable {
        SluiceConfig config = LocalFunctions.config("prod", Map.of("sluice.database.event-credentials", "true", "sluice.files.roots", folder));
        DatabaseTarget target = new DatabaseTarget(url, user, password);
        SchemaName history = SchemaName.of(schema);
        try (Connection connection = new DatabaseConnector(config, OwnRoles.LOCAL).open(target, Duration.ofMinutes(1))) {
            Set<String> applied = new LinkedHashSet<>();
            if (!CatalogQueries.tableExists(connection, history.value(), FlywaySetup.HISTORY_TABLE)) {
                return applied;
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT script FROM " + history.quoted() + "."
                    + FlywaySetup.HISTORY_TABLE + " WHERE success AND script IS NOT NULL");
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    applied.add(rs.getString(1));
                }
            }
            return applied;
        } catch (SluiceException e) {
            throw new Unreadable(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new Unreadable("the history of " + Echo.value(url) + " could not be read: SQLSTATE " + e.getSQLState() + ": "
                    + Echo.value(e.getMessage()), e);
        }
    }
}
