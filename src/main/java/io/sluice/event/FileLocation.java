package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/** A single file named the way migration locations are: {@code classpath:db/contract.json} or {@code filesystem:/x.json}. */
@RegisterForReflection
public record FileLocation(boolean classpath, String path) {

    private static final Pattern CLASSPATH_FILE = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-]+)*(\\.[A-Za-z0-9]+)?");

    // Only the string form is an event's; Jackson must not build the record from an object's properties.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public FileLocation {
        if (classpath && (path == null || !CLASSPATH_FILE.matcher(path).matches())) {
            throw new InvalidRequest("must be a resource such as classpath:db/contract.json, got 'classpath:" + Echo.value(path) + "'");
        }
        if (!classpath && (path == null || path.isBlank() || path.indexOf('\0') >= 0)) {
            throw new InvalidRequest("must name a file, e.g. filesystem:/opt/contract.json");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FileLocation parse(String location) {
        if (location != null && location.startsWith("classpath:")) {
            return new FileLocation(true, location.substring("classpath:".length()).replaceFirst("^/+", ""));
        }
        if (location != null && location.startsWith("filesystem:")) {
            return new FileLocation(false, location.substring("filesystem:".length()));
        }
        throw new InvalidRequest("must be 'classpath:<file>' or 'filesystem:<file>', got '"
                + Echo.value(location) + "'");
    }

    @JsonValue
    @Override
    public String toString() {
        return (classpath ? "classpath:" : "filesystem:") + path;
    }
}
