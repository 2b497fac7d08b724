package io.sluice.event;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * A timeout written as PostgreSQL writes one: {@code 500ms}, {@code 2s}, {@code 10min}, {@code 1h}. Zero means
 * "no limit", as for PostgreSQL's own settings.
 */
@RegisterForReflection
public record Timeout(Duration duration) {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|m|h)");

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
        Matcher matcher = TEXT.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new InvalidRequest("must be a duration such as 500ms, 2s, 10min or 1h, got '"
                    + Echo.value(text) + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m", "min" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        return new Timeout(duration);
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
