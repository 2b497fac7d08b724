package io.sluice.event;

import java.time.Duration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A timeout written as PostgreSQL writes one: {@code 500ms}, {@code 2s}, {@code 10min}, {@code 1h}. Zero means
 * "no limit", as for PostgreSQL's own settings.
 */
@RegisterForReflection
public record Timeout(Duration duration) {

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public Timeout {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("a timeout is zero or positive");
        }
    }

    public static Timeout of(Duration duration) {
        return new Timeout(duration);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Timeout parse(String text) {
        return new Timeout(DurationText.parse(text));
    }

    public long millis() {
        return duration.toMillis();
    }

    /** The value for {@code SET lock_timeout = ...}: always an integer number of milliseconds, never event text. */
    public String sqlLiteral() {
        return "'" + millis() + "ms'";
    }

    @JsonValue
    @Override
    public String toString() {
        return millis() + "ms";
    }
}
