package io.sluice.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.event.MigrationSource;
import io.sluice.event.SchemaName;
import io.sluice.files.FileRoots;
import io.sluice.migration.CatalogQueries;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;

/**
 * Sluice's own tables (snapshots, rollback audit) evolve like the user's: versioned scripts in
 * {@code classpath:sluice/state}, applied by Flyway under a history table of their own in the state schema. Run
 * once per database and state schema in a warm container; Flyway's lock keeps racing invocations apart.
 */
final class StateMigrations {

    static final String HISTORY_TABLE = "sluice_state_history";
    private static final MigrationSource SCRIPTS = MigrationSource.parse("classpath:sluice/state");

    private static final Set<String> UP_TO_DATE = ConcurrentHashMap.newKeySet();
    private static volatile ScriptSet scripts;

    private StateMigrations() {
    }

    /** Brings the state schema of {@code dataSource}'s database to the newest version Sluice ships. */
    static void ensure(DataSource dataSource, SchemaName stateSchema) {
        String key = (dataSource instanceof PGSimpleDataSource pg ? pg.getURL() : String.valueOf(dataSource)) + "|" + stateSchema;
        if (UP_TO_DATE.contains(key)) {
            return;
        }
        if (!atLatest(dataSource, stateSchema)) {
            FlywaySetup.forState(dataSource, scripts(), stateSchema, HISTORY_TABLE).migrate();
        }
        UP_TO_DATE.add(key);
    }

    /**
     * Whether the state history already records Sluice's newest state script: one query instead of a Flyway run, for
     * every cold start but the first one against a database.
     */
    private static boolean atLatest(DataSource dataSource, SchemaName stateSchema) {
        MigrationVersion latest = scripts().latestVersion();
        try (Connection connection = dataSource.getConnection()) {
            if (latest == null || !CatalogQueries.tableExists(connection, stateSchema.value(), HISTORY_TABLE)) {
                return false;
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM " + stateSchema.quoted() + "."
                    + HISTORY_TABLE + " WHERE success AND version IS NOT NULL")) {
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        if (MigrationVersion.fromVersion(rs.getString(1)).compareTo(latest) >= 0) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            return false;
        }
    }

    private static ScriptSet scripts() {
        if (scripts == null) {
            scripts = new ScriptLoader(FileRoots.of(List.of())).load(SCRIPTS);
        }
        return scripts;
    }
}
