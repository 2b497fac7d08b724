package io.sluice.event;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The one way Sluice reads a duration, in events and in configuration alike: a whole number with a unit as
 * PostgreSQL writes timeouts ({@code 500ms}, {@code 2s}, {@code 10min} or {@code 10m}, {@code 1h}), a bare {@code 0}
 * (no limit, as PostgreSQL reads it), or ISO-8601 ({@code PT10S}) as Java and Quarkus write it.
 */
public final class DurationText {

    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|m|h)");

    private DurationText() {
    }

    /** The duration {@code text} names; {@link InvalidRequest} saying the accepted forms otherwise. */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = TEXT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                Duration iso = Duration.parse(trimmed);
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (DateTimeParseException e) {
                // falls through to the error below
            }
        }
        throw new InvalidRequest("must be a duration such as 500ms, 2s, 10min, 1h or 0 (no limit), got '" + Echo.value(text) + "'");
    }

    /** The same reading for {@code sluice.*} settings ({@code @WithConverter}). */
    @RegisterForReflection
    public static final class ConfigConverter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            return value == null || value.isBlank() ? null : parse(value);
        }
    }
}
