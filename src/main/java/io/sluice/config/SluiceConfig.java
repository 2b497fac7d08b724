package io.sluice.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.sluice.event.UndoPolicy;

/** All of Sluice's settings, in one place ({@code sluice.*} in application.properties or SLUICE_* variables). */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {

    /** Sluice's own schema in the target database: snapshots and the rollback audit live there. */
    @WithDefault("sluice")
    String stateSchema();

    Database database();

    Catalog catalog();

    Migrate migrate();

    Validate validate();

    /** How Sluice connects. */
    interface Database {
        /** Longest wait for a TCP connection; an unreachable database fails after this, not at the Lambda timeout. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest wait for connection plus authentication. */
        @WithDefault("10s")
        Duration loginTimeout();
    }

    /** What a schema snapshot holds. */
    interface Catalog {
        /** Whether owners and grants are part of the schema (drift in grants is then drift). */
        @WithDefault("false")
        boolean includePrivileges();
    }

    /** How {@code migrate} applies scripts. */
    interface Migrate {
        /** {@code lock_timeout} for every migration statement: how long one try may queue for a lock. */
        @WithDefault("2s")
        Duration lockTimeout();

        /** {@code statement_timeout} for every migration statement; 0 disables it. */
        @WithDefault("10m")
        Duration statementTimeout();

        /** Total time a script may spend on tries that ended in {@code lock_timeout} before {@code LockTimeout}. */
        @WithDefault("2m")
        Duration lockRetryBudget();

        /** Sleep after the first failed try; doubled after each further one, up to {@code lock-retry-max-backoff}. */
        @WithDefault("500ms")
        Duration lockRetryInitialBackoff();

        @WithDefault("10s")
        Duration lockRetryMaxBackoff();

        /** How long an invocation waits for another one that is migrating the same schema. */
        @WithDefault("2m")
        Duration migrationLockWait();

        /** Time kept in reserve before the Lambda deadline, so the function answers instead of being killed. */
        @WithDefault("15s")
        Duration deadlineReserve();
    }

    /** Defaults for {@code validate}. */
    interface Validate {
        /** What a pending V script without U script is: error, warn or off. */
        @WithDefault("warn")
        UndoPolicy undoPolicy();
    }
}
