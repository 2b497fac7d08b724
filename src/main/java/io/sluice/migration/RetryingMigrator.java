package io.sluice.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.jboss.logging.Logger;

import io.sluice.error.LockTimeout;
import io.sluice.event.AppliedScript;
import io.sluice.event.LockRetry;

/**
 * Runs Flyway's migrate and, when a transactional script gives up on {@code lock_timeout}, runs it again after a
 * backoff. PostgreSQL rolled the failed try back, so a new try starts from a clean slate; scripts that ran
 * outside a transaction are never retried, since part of them may have taken effect.
 */
public final class RetryingMigrator {

    private static final Logger LOG = Logger.getLogger(RetryingMigrator.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    /** How the migrator waits between tries; tests may pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public RetryingMigrator(RetryPolicy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    /**
     * Migrates with the Flyway that {@code flywayFor} builds around the given callback, retrying lock timeouts
     * until the policy's budget or {@code deadline} runs out.
     *
     * @param flywayFor     builds the Flyway to run; called once, with the callback that times scripts
     * @param transactional whether a script (by its Flyway script path) runs in a transaction
     */
    public MigrationRun migrate(Function<Callback, Flyway> flywayFor, Function<String, Boolean> transactional, Instant deadline) {
        ScriptTimer timer = new ScriptTimer();
        Flyway flyway = flywayFor.apply(timer);
        List<AppliedScript> applied = new ArrayList<>();
        List<LockRetry> retries = new ArrayList<>();
        Instant budgetEnd = min(Instant.now().plus(policy.budget()), deadline);
        int attempt = 1;
        while (true) {
            try {
                flyway.migrate();
                collect(timer, transactional, applied);
                return new MigrationRun(applied, retries);
            } catch (FlywayMigrateException e) {
                collect(timer, transactional, applied);
                long waited = timer.elapsedMillis();
                if (!LOCK_NOT_AVAILABLE.equals(e.getSqlState()) || !e.isExecutableInTransaction()) {
                    throw new MigrationFailure(e, applied, retries);
                }
                String script = e.getMigration().getScript();
                Duration backoff = policy.backoff(attempt);
                if (Instant.now().plus(backoff).isAfter(budgetEnd)) {
                    retries.add(new LockRetry(script, attempt, waited, 0, rootMessage(e)));
                    throw new MigrationFailure(lockTimeout(script, attempt, retries), applied, retries);
                }
                retries.add(new LockRetry(script, attempt, waited, backoff.toMillis(), rootMessage(e)));
                LOG.warnf("%s gave up waiting for a lock after %d ms (try %d); rolled back, retrying in %d ms",
                        script, waited, attempt, backoff.toMillis());
                sleep(backoff, applied, retries);
                attempt++;
            } catch (FlywayException e) {
                collect(timer, transactional, applied);
                throw new MigrationFailure(e, applied, retries);
            }
        }
    }

    private void sleep(Duration backoff, List<AppliedScript> applied, List<LockRetry> retries) {
        try {
            sleeper.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationFailure(new LockTimeout("interrupted while waiting to retry; the failed try was rolled back", e),
                    applied, retries);
        }
    }

    private LockTimeout lockTimeout(String script, int attempts, List<LockRetry> retries) {
        long waited = retries.stream().mapToLong(LockRetry::waitedMs).sum();
        return new LockTimeout(script + " could not get its locks in " + attempts + " tries (" + waited
                + " ms spent waiting within a retry budget of " + policy.budget().toSeconds() + " s): another session"
                + " holds a conflicting lock, probably a long-running transaction. Each try was rolled back;"
                + " scripts before it stay applied. Retry later, or find the blocker in pg_stat_activity.");
    }

    private static void collect(ScriptTimer timer, Function<String, Boolean> transactional, List<AppliedScript> applied) {
        for (ScriptTimer.Finished finished : timer.drainFinished()) {
            MigrationInfo info = finished.info();
            applied.add(new AppliedScript(
                    info.getVersion() == null ? null : info.getVersion().getVersion(),
                    info.getDescription(),
                    info.getScript(),
                    transactional.apply(info.getScript()),
                    finished.millis()));
        }
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
