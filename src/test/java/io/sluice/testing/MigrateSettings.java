package io.sluice.testing;

import java.time.Duration;

import io.sluice.config.SluiceConfig;

/** {@link SluiceConfig.Migrate} with values a test chooses; defaults as shipped, except shorter waits. */
public record MigrateSettings(
        Duration lockTimeout,
        Duration firstLockTimeout,
        Duration statementTimeout,
        Duration lockRetryBudget,
        Duration lockRetryInitialBackoff,
        Duration lockRetryMaxBackoff,
        Duration migrationLockWait,
        Duration deadlineReserve) implements SluiceConfig.Migrate {

    public static MigrateSettings defaults() {
        return new MigrateSettings(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(1));
    }

    public MigrateSettings withLockTimeout(Duration value) {
        return new MigrateSettings(value, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve);
    }

    public MigrateSettings withStatementTimeout(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, value, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve);
    }

    public MigrateSettings withFirstLockTimeout(Duration value) {
        return new MigrateSettings(lockTimeout, value, statementTimeout, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve);
    }

    public MigrateSettings withMigrationLockWait(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff,
                lockRetryMaxBackoff, value, deadlineReserve);
    }

    public MigrateSettings withLockRetryBudget(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, value, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve);
    }
}
