package io.sluice.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.error.LockTimeout;
import io.sluice.event.AppliedScript;
import io.sluice.event.LockRetry;
import io.sluice.event.SchemaName;

/**
 * Runs Flyway's migrate so that a lock wait stalls the application at most once, briefly. A transactional script
 * first asks for its locks with a short {@code lock_timeout}; when it gives up, PostgreSQL has rolled it back, and
 * Sluice waits, without queueing, until no transaction older than the next try's timeout holds a lock on a
 * relation the script names, then tries again with a doubled timeout. Scripts that ran outside a transaction are
 * never retried, since part of them may have taken effect.
 */
public final class RetryingMigrator {

    private static final Logger LOG = Logger.getLogger(RetryingMigrator.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final RetryPolicy policy;

    public RetryingMigrator(RetryPolicy policy) {
        this.policy = policy;
    }

    /**
     * Migrates with the Flyway that {@code flywayFor} builds around Sluice's callbacks, retrying lock timeouts until
     * the policy's budget or {@code deadline} runs out.
     *
     * @param flywayFor builds the Flyway to run; called once, with the callbacks that time scripts and set their
     *                  lock_timeout
     * @param control   a connection of its own, for looking at pg_locks between tries
     */
    public MigrationRun migrate(Function<Callback[], Flyway> flywayFor, ScriptSet scripts, Connection control, SchemaName schema,
            Instant deadline) {
        ScriptTimer timer = new ScriptTimer();
        TryTimeouts timeouts = new TryTimeouts(policy, scripts);
        Flyway flyway = flywayFor.apply(new Callback[] {new StopSignal(deadline), timer, timeouts});
        List<AppliedScript> applied = new ArrayList<>();
        List<LockRetry> retries = new ArrayList<>();
        Instant budgetEnd = min(Instant.now().plus(policy.budget()), deadline);
        return migrate(flyway, timer, timeouts, scripts, control, schema, budgetEnd, applied, retries);
    }

    private MigrationRun migrate(Flyway flyway, ScriptTimer timer, TryTimeouts timeouts, ScriptSet scripts, Connection control,
            SchemaName schema, Instant budgetEnd, List<AppliedScript> applied, List<LockRetry> retries) {
        while (true) {
            try {
                flyway.migrate();
                collect(timer, scripts, applied);
                return new MigrationRun(applied, retries, null);
            } catch (FlywayException e) {
                collect(timer, scripts, applied);
                StopSignal.Stop stop = stopIn(e);
                if (stop != null) {
                    LOG.infof("stopped between scripts: %s", Echo.line(stop.reason()));
                    return new MigrationRun(applied, retries, stop.reason());
                }
                long waited = timer.elapsedMillis();
                FlywayInternals.ScriptFailure failed = FlywayInternals.scriptFailure(e).orElse(null);
                if (failed == null || !LOCK_NOT_AVAILABLE.equals(failed.sqlState()) || !failed.transactional()) {
                    throw new MigrationFailure(e, applied, retries);
                }
                int attempt = timeouts.failed(failed.script());
                Duration next = policy.lockTimeoutOfTry(attempt + 1);
                long pausedMs;
                try {
                    pausedMs = awaitNoLongHolders(control, schema, scripts, failed.script(), Duration.ofMillis(Math.max(waited, 1)),
                            next, budgetEnd, attempt, retries);
                } catch (LockTimeout timeout) {
                    retries.add(new LockRetry(failed.script(), attempt, waited, 0, rootMessage(e)));
                    throw new MigrationFailure(timeout, applied, retries);
                } catch (SQLException sql) {
                    throw new MigrationFailure(new FlywayException("could not read pg_locks between tries: " + sql.getMessage(), sql),
                            applied, retries);
                }
                retries.add(new LockRetry(failed.script(), attempt, waited, pausedMs, rootMessage(e)));
                LOG.warnf("%s gave up waiting for a lock after %d ms (try %d, rolled back); waited %d ms unqueued for the"
                        + " holders to finish, next try with lock_timeout %d ms", Echo.line(failed.script()), waited, attempt, pausedMs,
                        next.toMillis());
            }
        }
    }

    /**
     * Waits, queueing for nothing, until no transaction older than the failed try ({@code tryLasted}: one that was
     * there when the try queued, so a blocker) holds a lock on a relation {@code script} names. Returns how long it
     * waited; {@link LockTimeout} naming the holders when the budget ends.
     */
    private long awaitNoLongHolders(Connection control, SchemaName schema, ScriptSet scripts, String script, Duration tryLasted,
            Duration next, Instant budgetEnd, int attempt, List<LockRetry> retries) throws SQLException {
        long started = System.nanoTime();
        List<Long> relations = LockHolders.relations(control, schema, scripts.find(script).map(Script::content).orElse(""));
        List<LockHolders.Holder> holders = LockHolders.awaitNone(control, relations, tryLasted, budgetEnd.minus(next),
                policy.backoff());
        if (!holders.isEmpty()) {
            throw lockTimeout(script, attempt, retries, "still held by " + LockHolders.describe(holders));
        }
        if (Instant.now().plus(next).isAfter(budgetEnd)) {
            throw lockTimeout(script, attempt, retries, "the retry budget ran out");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private LockTimeout lockTimeout(String script, int attempts, List<LockRetry> retries, String why) {
        long waited = retries.stream().mapToLong(retry -> retry.waitedMs() + retry.backoffMs()).sum();
        return new LockTimeout(script + " could not get its locks in " + attempts + " tries (" + waited + " ms within a"
                + " retry budget of " + policy.budget().toSeconds() + " s; " + why + "). Each try was rolled back;"
                + " scripts before it stay applied. Retry later, or end the long transaction (pg_stat_activity).");
    }

    private static void collect(ScriptTimer timer, ScriptSet scripts, List<AppliedScript> applied) {
        for (ScriptTimer.Finished finished : timer.drainFinished()) {
            MigrationInfo info = finished.info();
            applied.add(new AppliedScript(
                    info.getVersion() == null ? null : info.getVersion().getVersion(),
                    info.getDescription(),
                    info.getScript(),
                    scripts.find(info.getScript()).map(scripts::isTransactional).orElse(true),
                    finished.millis()));
        }
    }

    private static StopSignal.Stop stopIn(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof StopSignal.Stop stop) {
                return stop;
            }
        }
        return null;
    }

    /** The innermost cause's message, first line only: what PostgreSQL said. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A migrate that stopped early, with what it had done before stopping. */
    public static final class MigrationFailure extends RuntimeException {
        private final transient List<AppliedScript> applied;
        private final transient List<LockRetry> retries;

        MigrationFailure(RuntimeException cause, List<AppliedScript> applied, List<LockRetry> retries) {
            super(cause.getMessage(), cause);
            this.applied = List.copyOf(applied);
            this.retries = List.copyOf(retries);
        }

        /** A failure of work done beside Flyway's runs (a backfill), after {@code applied}. */
        public static MigrationFailure of(RuntimeException cause, List<AppliedScript> applied, List<LockRetry> retries) {
            return new MigrationFailure(cause, applied, retries);
        }

        /** This failure, with what earlier runs of the same invocation applied before it. */
        public MigrationFailure after(List<AppliedScript> earlier, List<LockRetry> earlierRetries) {
            List<AppliedScript> all = new ArrayList<>(earlier);
            all.addAll(applied);
            List<LockRetry> allRetries = new ArrayList<>(earlierRetries);
            allRetries.addAll(retries);
            return new MigrationFailure(failure(), all, allRetries);
        }

        public RuntimeException failure() {
            return (RuntimeException) getCause();
        }

        public List<AppliedScript> applied() {
            return applied;
        }

        public List<LockRetry> retries() {
            return retries;
        }
    }
}
