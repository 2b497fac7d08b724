package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** How far to migrate: {@code latest}, or a version as Flyway writes it ({@code 3}, {@code 1.2}, {@code 2024.05.01}). */
@RegisterForReflection
public record TargetVersion(String version) {

    private static final Pattern VERSION = Pattern.compile("\\d+([._]\\d+)*");

    public static final TargetVersion LATEST = new TargetVersion(null);

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public TargetVersion {
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new InvalidRequest("must be 'latest' or a version such as 3 or 1.2, got '"
                    + Echo.value(version) + "'");
        }
        if (version != null) {
            version = version.replace('_', '.');
        }
    }

    public static TargetVersion parse(String text) {
        return text == null || text.equals("latest") ? LATEST : new TargetVersion(text);
    }

    /**
     * A version as an event may write it: a string, or a whole JSON number ({@code "target": 75}). A number with a
     * fraction is refused: JSON reads {@code 1.10} as {@code 1.1}, which Flyway takes for another version.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TargetVersion fromJson(JsonNode value) {
        if (value.isTextual()) {
            return parse(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return new TargetVersion(value.bigIntegerValue().toString());
        }
        if (value.isNumber()) {
            throw new InvalidRequest("must be a whole number or a string; write a dotted version as a string, e.g. \"1.10\","
                    + " since JSON reads 1.10 as 1.1");
        }
        throw new InvalidRequest("must be 'latest' or a version such as 3 or \"1.2\", got " + value.getNodeType().toString()
                .toLowerCase(java.util.Locale.ROOT));
    }

    public boolean isLatest() {
        return version == null;
    }

    @JsonValue
    @Override
    public String toString() {
        return isLatest() ? "latest" : version;
    }
}
