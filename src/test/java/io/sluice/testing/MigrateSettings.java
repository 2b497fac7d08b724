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
        Duration deadlineReserve,
        BackfillSettings backfill) implements SluiceConfig.Migrate {

    /** {@link SluiceConfig.Backfill} with values a test chooses; defaults as shipped, except a shorter throttle pause. */
    public record BackfillSettings(Duration targetBatchDuration, Duration pauseBetweenBatches, Duration maxReplicationLag,
            Duration maxLockWait, Duration maxTransactionAge, Duration throttlePause) implements SluiceConfig.Backfill {

        public static BackfillSettings defaults() {
            return new BackfillSettings(Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(1),
                    Duration.ofMinutes(10), Duration.ofMillis(200));
        }

        public BackfillSettings withTargetBatchDuration(Duration value) {
            return new BackfillSettings(value, pauseBetweenBatches, maxReplicationLag, maxLockWait, maxTransactionAge, throttlePause);
        }

        public BackfillSettings withPauseBetweenBatches(Duration value) {
            return new BackfillSettings(targetBatchDuration, value, maxReplicationLag, maxLockWait, maxTransactionAge, throttlePause);
        }

        public BackfillSettings withMaxTransactionAge(Duration value) {
            return new BackfillSettings(targetBatchDuration, pauseBetweenBatches, maxReplicationLag, maxLockWait, value, throttlePause);
        }
    }

    public static MigrateSettings defaults() {
        return new MigrateSettings(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(1), BackfillSettings.defaults());
    }

    public MigrateSettings withBackfill(BackfillSettings value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff,
                lockRetryMaxBackoff, migrationLockWait, deadlineReserve, value);
    }

    public MigrateSettings withDeadlineReserve(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff,
                lockRetryMaxBackoff, migrationLockWait, value, backfill);
    }

    public MigrateSettings withLockTimeout(Duration value) {
        return new MigrateSettings(value, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve, backfill);
    }

    public MigrateSettings withStatementTimeout(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, value, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve, backfill);
    }

    public MigrateSettings withFirstLockTimeout(Duration value) {
        return new MigrateSettings(lockTimeout, value, statementTimeout, lockRetryBudget, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve, backfill);
    }

    public MigrateSettings withMigrationLockWait(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, lockRetryBudget, lockRetryInitialBackoff,
                lockRetryMaxBackoff, value, deadlineReserve, backfill);
    }

    public MigrateSettings withLockRetryBudget(Duration value) {
        return new MigrateSettings(lockTimeout, firstLockTimeout, statementTimeout, value, lockRetryInitialBackoff, lockRetryMaxBackoff,
                migrationLockWait, deadlineReserve, backfill);
    }
}
