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
public final class StateMigrations {

    static final String HISTORY_TABLE = "sluice_state_history";
    private static final MigrationSource SCRIPTS = MigrationSource.parse("classpath:sluice/state");

    private static final Set<String> UP_TO_DATE = ConcurrentHashMap.newKeySet();
    private static volatile ScriptSet scripts;

    private StateMigrations() {
    }

    /** Brings the state schema of {@code dataSource}'s database to the newest version Sluice ships. */
    static void ensure(DataSource dataSource, SchemaName stateSchema) {
        String key = url(dataSource) + "|" + stateSchema;
        if (UP_TO_DATE.contains(key)) {
            return;
        }
        if (!atLatest(dataSource, stateSchema)) {
            FlywaySetup.forState(dataSource, scripts(), stateSchema, HISTORY_TABLE).migrate();
        }
        UP_TO_DATE.add(key);
    }

    /** The database a data source opens (through a lending one too), or the data source itself when it cannot say. */
    private static String url(DataSource dataSource) {
        try {
            if (dataSource.isWrapperFor(PGSimpleDataSource.class)) {
                return dataSource.unwrap(PGSimpleDataSource.class).getURL();
            }
        } catch (SQLException e) {
            // Not a PostgreSQL data source underneath: checked every time.
        }
        return String.valueOf(dataSource);
    }

    /**
     * The state schema's version beside the newest Sluice ships: {@code current} null when the schema has no state
     * history yet (no migrate has run against the database).
     */
    public record Version(String current, String latest) {

        public boolean atLatest() {
            return current != null && MigrationVersion.fromVersion(current).compareTo(MigrationVersion.fromVersion(latest)) >= 0;
        }
    }

    /** Where {@code stateSchema} of {@code connection}'s database stands. */
    public static Version version(Connection connection, SchemaName stateSchema) throws SQLException {
        String latest = scripts().latestVersion().getVersion();
        MigrationVersion current = null;
        // One round trip: a state schema without a history answers 42P01 (undefined_table).
        try (PreparedStatement statement = connection.prepareStatement("SELECT version FROM " + stateSchema.quoted() + "."
                + HISTORY_TABLE + " WHERE success AND version IS NOT NULL");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                MigrationVersion version = MigrationVersion.fromVersion(rs.getString(1));
                current = current == null || version.compareTo(current) > 0 ? version : current;
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState()) && !"3F000".equals(e.getSQLState())) {
                throw e;
            }
        }
        return new Version(current == null ? null : current.getVersion(), latest);
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
