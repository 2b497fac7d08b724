package io.sluice.migration;

import java.time.Duration;

import io.sluice.error.LockTimeout;

/**
 * Exponential backoff, shared by every wait loop: {@code initial} after the first try, doubled each time, never more
 * than {@code max}. The sleeper is a parameter so that tests record the pauses instead of taking them.
 */
public record Backoff(Duration initial, Duration max, Sleeper sleeper) {

    /** How a loop pauses. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** The real one. */
    public static final Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

    /** The pause after the {@code attempt}-th try (1-based). */
    public Duration delay(int attempt) {
        long millis = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /** Pauses; an interruption ends the wait as a {@link LockTimeout} (every loop here waits for a lock) with the flag kept. */
    public void sleep(Duration pause) {
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeout("interrupted while waiting for a lock; the try before the wait was rolled back", e);
        }
    }
}
