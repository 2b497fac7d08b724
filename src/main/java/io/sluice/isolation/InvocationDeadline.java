package io.sluice.isolation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the running invocation ends (Lambda's deadline), for the work that must end before it: scratch work is bounded
 * below it, so that a proof running long is stopped and reported, not killed with the function and left running on a
 * server. Set by the function boundary for the thread that runs the command; absent outside Lambda.
 */
public final class InvocationDeadline {

    private static final ThreadLocal<Instant> DEADLINE = new ThreadLocal<>();

    private InvocationDeadline() {
    }

    /** Runs {@code work} with the invocation ending {@code left} from now. */
    public static <T> T during(Duration left, java.util.function.Supplier<T> work) {
        Instant previous = DEADLINE.get();
        DEADLINE.set(Instant.now().plus(left));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(previous);
            }
        }
    }

    /** The running invocation's deadline, when one is known. */
    public static Optional<Instant> get() {
        return Optional.ofNullable(DEADLINE.get());
    }
}
