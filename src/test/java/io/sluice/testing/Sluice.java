package io.sluice.testing;

import java.util.List;

import java.time.Duration;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.command.CanaryCommand;
import io.sluice.command.HealthCommand;
import io.sluice.command.MigrateCommand;
import io.sluice.command.RollbackCommand;
import io.sluice.command.ValidateCommand;
import io.sluice.event.SchemaName;
import io.sluice.event.UndoPolicy;
import io.sluice.files.FileRoots;
import io.sluice.health.DatabaseHealth;
import io.sluice.lint.LintPolicy;
import io.sluice.migration.Backoff;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.ScriptLoader;
import io.sluice.canary.ApplicationMetrics;
import io.sluice.settings.SettingRules;

/** The commands wired by hand, as CDI wires them, for tests that exercise the engine without a Lambda runtime. */
public final class Sluice {

    private Sluice() {
    }

    /** Tests keep their migration folders and contracts in the temporary folder or the project. */
    public static FileRoots files() {
        return FileRoots.of(List.of(System.getProperty("java.io.tmpdir"), "."));
    }

    public static DatabaseConnector connector() {
        return new DatabaseConnector(Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    public static MigrateCommand migrate(MigrateSettings settings) {
        return new MigrateCommand(new ScriptLoader(files()), connector(), catalog(), settings, Backoff.THREAD_SLEEP);
    }

    /** Snapshots in schema "sluice", privileges not compared: the shipped defaults. */
    public static SchemaCatalog catalog() {
        return new SchemaCatalog(SchemaName.of("sluice"), false);
    }

    public static MigrateCommand migrate() {
        return migrate(MigrateSettings.defaults());
    }

    public static ValidateCommand validate() {
        return validate(UndoPolicy.WARN, SettingLimits.defaults());
    }

    public static ValidateCommand validate(UndoPolicy undoPolicy, SettingLimits limits) {
        return new ValidateCommand(new ScriptLoader(files()), connector(), catalog(), undoPolicy, new SettingRules(limits),
                MigrateSettings.defaults(), LintPolicy.defaults(), files());
    }

    /** A new database with the bundled sample migrations applied. */
    public static TestDatabase migratedDatabase() {
        TestDatabase db = PostgresServer.get().newDatabase();
        migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
        return db;
    }

    public static HealthCommand health() {
        return new HealthCommand(connector(), DatabaseHealth.direct(), catalog());
    }

    public static CanaryCommand canary() {
        return new CanaryCommand(connector(), ApplicationMetrics.NONE);
    }

    public static RollbackCommand rollback() {
        return rollback(connector());
    }

    /** Rollback through {@code connector} (one whose scratch databases run a setup script, say). */
    public static RollbackCommand rollback(DatabaseConnector connector) {
        return new RollbackCommand(new ScriptLoader(files()), connector, catalog(), MigrateSettings.defaults(), Backoff.THREAD_SLEEP);
    }
}
