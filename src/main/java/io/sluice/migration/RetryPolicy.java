package io.sluice.migration;

import java.time.Duration;

import io.sluice.config.SluiceConfig;

/**
 * How a transactional script that gave up on {@code lock_timeout} is retried: exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}, for at most {@code budget} in all.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration budget) {

    /** The policy the configuration sets for migrations and undo scripts alike. */
    public static RetryPolicy of(SluiceConfig.Migrate settings) {
        return new RetryPolicy(settings.lockRetryInitialBackoff(), settings.lockRetryMaxBackoff(), settings.lockRetryBudget());
    }

    /** The sleep after the {@code attempt}-th failed try (1-based). */
    public Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
