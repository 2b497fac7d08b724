package io.sluice.migration;

import java.time.Duration;

import io.sluice.config.SluiceConfig;

/**
 * How a transactional script that gave up on {@code lock_timeout} is retried: tries with a lock_timeout from
 * {@code firstLockTimeout} doubling up to {@code lockTimeout}, for at most {@code budget} in all, with
 * {@code backoff} pacing the unqueued polls for long lock holders between tries.
 */
public record RetryPolicy(Duration firstLockTimeout, Duration lockTimeout, Duration budget, Backoff backoff) {

    public RetryPolicy {
        firstLockTimeout = firstLockTimeout.compareTo(lockTimeout) < 0 ? firstLockTimeout : lockTimeout;
    }

    /** The lock_timeout of try {@code attempt} (1-based) of a transactional script. */
    public Duration lockTimeoutOfTry(int attempt) {
        long millis = firstLockTimeout.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, lockTimeout.toMillis()));
    }

    /** The policy the configuration sets for migrations and undo scripts alike; {@code lockTimeout} may come from the event. */
    public static RetryPolicy of(SluiceConfig.Migrate settings, Duration lockTimeout, Backoff.Sleeper sleeper) {
        return new RetryPolicy(settings.firstLockTimeout(), lockTimeout, settings.lockRetryBudget(),
                new Backoff(settings.lockRetryInitialBackoff(), settings.lockRetryMaxBackoff(), sleeper));
    }
}
