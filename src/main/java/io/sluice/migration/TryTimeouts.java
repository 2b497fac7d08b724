package io.sluice.migration;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import io.sluice.error.MigrationFailed;

/**
 * Sets {@code lock_timeout} before each script. A transactional script's first try waits for its locks only
 * briefly; each retry of the same script doubles that, up to the configured lock_timeout (see {@link RetryPolicy}):
 * readers that queue behind the migration's lock request are stalled at most that long, and only once the long
 * holders are gone. Scripts that run outside a transaction are never retried, so they always get the full one.
 */
public final class TryTimeouts implements Callback {

    private final RetryPolicy policy;
    private final ScriptSet scripts;
    private String retrying;
    private int failedTries;

    public TryTimeouts(RetryPolicy policy, ScriptSet scripts) {
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
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        MigrationInfo migration = context.getMigrationInfo();
        if (migration == null) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("SET lock_timeout = '" + forScript(migration.getScript()).toMillis() + "ms'");
        } catch (SQLException e) {
            throw new MigrationFailed("could not set lock_timeout before " + migration.getScript() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "sluice-try-timeouts";
    }
}
