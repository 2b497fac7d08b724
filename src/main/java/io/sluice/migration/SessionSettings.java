package io.sluice.migration;

import io.sluice.config.SluiceConfig;
import io.sluice.event.Timeout;

/**
 * The PostgreSQL session settings every migration connection starts with.
 *
 * @param lockTimeout      how long one statement may queue for a lock before PostgreSQL cancels it
 * @param statementTimeout how long one statement may run; zero for no limit
 */
public record SessionSettings(Timeout lockTimeout, Timeout statementTimeout) {

    /** The configured timeouts, each replaced by the event's when the event sets one (null: not set). */
    public static SessionSettings from(SluiceConfig.Migrate settings, Timeout lockTimeout, Timeout statementTimeout) {
        return new SessionSettings(lockTimeout != null ? lockTimeout : Timeout.of(settings.lockTimeout()),
                statementTimeout != null ? statementTimeout : Timeout.of(settings.statementTimeout()));
    }

    /** The SQL run on every new connection. Values are integers formatted here, never event text. */
    public String initSql() {
        return "SET lock_timeout = " + lockTimeout.sqlLiteral() + "; SET statement_timeout = " + statementTimeout.sqlLiteral();
    }
}
