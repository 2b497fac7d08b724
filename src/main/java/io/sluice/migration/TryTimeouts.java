package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.sluice.error.MigrationFailed;

/**
 * Sets {@code lock_timeout} before each script. A transactional script's first try waits for its locks only
 * briefly; each retry of the same script doubles that, up to the configured lock_timeout (see {@link RetryPolicy}):
 * readers that queue behind the migration's lock request are stalled at most that long, and only once the long
 * holders are gone. Scripts that run outside a transaction are never retried, so they always get the full one.
 */
public final class TryTimeouts extends ScriptCallback {

    private final RetryPolicy policy;
    private final ScriptSet scripts;
    private String retrying;
    private int failedTries;
    /** The connection last set, and its lock_timeout: a SET is sent only when the value changes (one round trip less per script). */
    private Connection lastConnection;
    private Duration lastSet;

    public TryTimeouts(RetryPolicy policy, ScriptSet scripts) {
        super("sluice-try-timeouts", Event.BEFORE_EACH_MIGRATE);
        this.policy = policy;
        this.scripts = scripts;
    }

    /** Records that {@code script} gave up on its lock; returns which try (1-based) that was. */
    int failed(String script) {
        if (!script.equals(retrying)) {
            retrying = script;
            failedTries = 0;
        }
        return ++failedTries;
    }

    private Duration forScript(String script) {
        if (!scripts.find(script).map(scripts::isTransactional).orElse(true)) {
            return policy.lockTimeout();
        }
        return policy.lockTimeoutOfTry(script.equals(retrying) ? failedTries + 1 : 1);
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        if (migration == null) {
            return;
        }
        Duration wanted = forScript(migration.getScript());
        Connection connection = context.getConnection();
        // A new connection starts with the session's lock_timeout (the configured maximum, from initSql). A SET in a
        // transaction that rolls back is undone, but only a failed try rolls back, and Flyway then opens new connections.
        Duration current = connection == lastConnection ? lastSet : policy.lockTimeout();
        if (wanted.equals(current)) {
            lastConnection = connection;
            lastSet = current;
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '" + wanted.toMillis() + "ms'");
            lastConnection = connection;
            lastSet = wanted;
        } catch (SQLException e) {
            throw new MigrationFailed("could not set lock_timeout before " + migration.getScript() + ": " + e.getMessage(), e);
        }
    }
}
