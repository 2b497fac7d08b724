package io.sluice.function;

import java.time.Duration;

import com.amazonaws.services.lambda.runtime.Context;

/** Facts about the current invocation that the commands need. */
final class Invocations {

    /** Used when no Lambda deadline is known (local runs): the Lambda maximum. */
    static final Duration NO_DEADLINE = Duration.ofMinutes(15);

    private Invocations() {
    }

    static Duration timeLeft(Context context) {
        if (context == null || context.getRemainingTimeInMillis() <= 0) {
            return NO_DEADLINE;
        }
        return Duration.ofMillis(context.getRemainingTimeInMillis());
    }
}
