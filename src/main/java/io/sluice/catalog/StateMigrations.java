package io.sluice.catalog;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.sluice.event.MigrationSource;
import io.sluice.event.SchemaName;
import io.sluice.files.FileRoots;
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
        FlywaySetup.forState(dataSource, scripts(), stateSchema, HISTORY_TABLE).migrate();
        UP_TO_DATE.add(key);
    }

    private static ScriptSet scripts() {
        if (scripts == null) {
            scripts = new ScriptLoader(FileRoots.of(List.of())).load(SCRIPTS);
        }
        return scripts;
    }
}
