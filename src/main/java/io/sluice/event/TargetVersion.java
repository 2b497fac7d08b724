package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TargetVersion parse(String text) {
        return text == null || text.equals("latest") ? LATEST : new TargetVersion(text);
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
