package io.sluice.migration;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;

/** Builds a Flyway for one invocation: Sluice's scripts, one schema, Flyway's conventions otherwise unchanged. */
public final class FlywaySetup {

    /** Flyway's own history table name, kept so that users bring their existing history. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    private FlywaySetup() {
    }

    /**
     * A Flyway for Sluice's own state schema: its scripts ({@code classpath:sluice/state}), its own history table,
     * and a baseline at version 1 for a state schema whose tables predate versioning.
     */
    public static Flyway forState(DataSource dataSource, ScriptSet scripts, SchemaName stateSchema, String historyTable) {
        return common(dataSource, scripts, stateSchema, historyTable)
                .baselineOnMigrate(true)
                .baselineVersion("1")
                .load();
    }

    public static Flyway create(DataSource dataSource, ScriptSet scripts, SchemaName schema, TargetVersion target,
            SessionSettings session, Callback... callbacks) {
        return create(dataSource, scripts, schema, target.isLatest() ? "latest" : target.version(), session, callbacks);
    }

    /** @param target Flyway's target: a version, {@code latest}, or {@code current} (nothing versioned beyond what is applied) */
    public static Flyway create(DataSource dataSource, ScriptSet scripts, SchemaName schema, String target, SessionSettings session,
            Callback... callbacks) {
        FluentConfiguration configuration = common(dataSource, scripts, schema, HISTORY_TABLE)
                .initSql(session.initSql())
                // Sluice waits for Flyway's lock itself (FlywayLock), within its own bound, before Flyway asks for it;
                // Flyway's default of 50 one-second tries would double that wait.
                .lockRetryCount(2)
                .validateMigrationNaming(false)
                // MigrateCommand validates the history itself, on the info it reads anyway (PreflightInspector's
                // errors); Flyway's own pass would resolve and check a long history a second time.
                .validateOnMigrate(false)
                .outOfOrder(false)
                .mixed(true)
                .callbacks(callbacks);
        if (!target.equals("latest")) {
            configuration.target(target);
        }
        return configuration.load();
    }

    /** Records {@code version} as a baseline in a new history of {@code schema}: the existing objects stand for it. */
    public static void baseline(DataSource dataSource, ScriptSet scripts, SchemaName schema, SessionSettings session, String version) {
        common(dataSource, scripts, schema, HISTORY_TABLE)
                .initSql(session.initSql())
                .baselineVersion(version)
                .baselineDescription("Sluice baseline")
                .load()
                .baseline();
    }

    private static FluentConfiguration common(DataSource dataSource, ScriptSet scripts, SchemaName schema, String historyTable) {
        return Flyway.configure()
                // A transaction-scoped advisory lock keeps a transaction open beside every migration, and
                // CREATE INDEX CONCURRENTLY waits for all open transactions: it would wait for Flyway itself.
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .dataSource(dataSource)
                .resourceProvider(new ScriptResources(scripts))
                .failOnMissingLocations(false)
                .schemas(schema.value())
                .defaultSchema(schema.value())
                .table(historyTable)
                .connectRetries(0)
                // What Flyway runs is what lint read and the approvers saw: no placeholder is replaced (a
                // ${flyway:filename} would splice a file's name into its SQL), and no callback script (an
                // afterConnect.sql in a release's folder would run on the live database as validate connects).
                .placeholderReplacement(false)
                .skipDefaultCallbacks(true)
                .cleanDisabled(true);
    }
}
