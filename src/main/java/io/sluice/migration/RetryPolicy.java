package io.sluice.migration;

import java.time.Duration;

/**
 * How a transactional script that gave up on {@code lock_timeout} is retried: exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}, for at most {@code budget} in all.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration budget) {

    /** The sleep after the {@code attempt}-th failed try (1-based). */
    public Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
